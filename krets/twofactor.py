"""Two-factor is required for board accounts; allauth offers it, the portal enforces it here."""

from allauth.mfa.models import Authenticator
from django.conf import settings


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
