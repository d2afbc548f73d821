"""What the meetings screens share."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from ..models import Meeting
from ..selectors import get_meeting_for_user


def get_public_meeting(request, pk: int) -> tuple[Meeting | None, HttpResponse | None]:
    """For the pages anyone may open: (meeting, None), or (None, a redirect to sign in) when
    an anonymous visitor asks for a meeting that is not open; 403 for a signed-in person."""
    try:
        return get_meeting_for_user(request, pk), None
    except PermissionDenied:
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        raise
