"""Deny by default: the one place that decides who may reach a view at all."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from members.selectors import rights_for_user

from .rights import declared_permissions
from .twofactor import needs_two_factor_setup

# allauth's views that must work before signing in: login, its two-factor step, password
# reset (which is also how an invited person sets a first password).
PUBLIC_URL_NAMES = frozenset(
    {
        "account_login",
        "account_logout",
        "mfa_authenticate",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
        "account_inactive",
    }
)
# Where a board member without two-factor may still go: setting it up, or signing out.
TWO_FACTOR_SETUP_URL_NAMES = frozenset(
    {
        "account",
        "account_logout",
        "account_change_password",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_add_webauthn",
        "mfa_list_webauthn",
        "mfa_reauthenticate",
        "account_reauthenticate",
    }
)
OWN_APPS = ("krets.", "members.", "meetings.", "goals.", "campaigns.", "newsletters.", "visitors.")


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.rights = SimpleLazyObject(lambda: rights_for_user(request.user))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        url_name = match.url_name if match else None
        if url_name in PUBLIC_URL_NAMES or getattr(view_func, "krets_public", False):
            return None
        if view_func.__module__.startswith(OWN_APPS) and declared_permissions(view_func) is None:
            raise ImproperlyConfigured(
                f"{view_func.__module__}.{view_func.__name__} declares no rights"
            )
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if url_name not in TWO_FACTOR_SETUP_URL_NAMES and needs_two_factor_setup(request):
            messages.warning(
                request,
                _("Du behöver slå på tvåfaktorsinloggning innan du kan se medlemsuppgifter."),
            )
            return redirect("account")
        return None
