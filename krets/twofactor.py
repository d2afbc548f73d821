"""Two-factor is required for board accounts and for politicians' accounts (a political
assignment or a party position); allauth offers it, the portal enforces it here (called by
krets.middleware.AccessMiddleware)."""

from allauth.mfa.models import Authenticator
from django.conf import settings


def two_factor_required(request) -> bool:
    if not settings.KRETS_REQUIRE_MFA:
        return False
    return request.user.is_staff or request.rights.is_board or request.rights.is_politician


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def needs_two_factor_setup(request) -> bool:
    if not two_factor_required(request):
        return False
    known = getattr(request, "_krets_access", None)  # krets.middleware.request_access
    if known is not None and known[0] == request.user.pk and known[1][1] is not None:
        return not known[1][1]
    return not has_two_factor(request.user)
