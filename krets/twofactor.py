"""Two-factor is required for board accounts; allauth offers it, the portal enforces it here."""

from allauth.mfa.models import Authenticator
from django.conf import settings

from members.selectors import rights_for_user

from .rights import NO_RIGHTS


def two_factor_required(request) -> bool:
    if not settings.KRETS_REQUIRE_MFA:
        return False
    return request.user.is_staff or request.rights.is_board


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def needs_two_factor_setup(request) -> bool:
    return two_factor_required(request) and not has_two_factor(request.user)


def rights_of_feed_owner(user):
    """The rights a token (a private calendar feed) opens: none beyond the public's while the
    owner is a board account without two-factor, as on every public page."""
    rights = rights_for_user(user)
    required = settings.KRETS_REQUIRE_MFA and (user.is_staff or rights.is_board)
    if required and not has_two_factor(user):
        return NO_RIGHTS
    return rights
