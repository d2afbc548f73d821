"""Deny by default: the one place that decides who may reach a view at all."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.selectors import rights_for_user

from .celery import QueueUnavailable
from .mail.models import MailSend
from .mail.services import forget_refused_sends, refused_sends
from .rights import declared_permissions
from .sessions import SESSION_RENEWED_KEY
from .twofactor import has_two_factor, needs_two_factor_setup
from .versioned import cached

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
# allauth's email management is off: a person could add someone else's address as a login. The
# login address is the one the ordförande invited; it changes by a new invitation.
OFF_URL_NAMES = frozenset(
    {"account_email", "account_email_verification_sent", "account_confirm_email"}
)
OWN_APPS = ("krets.", "members.", "meetings.", "goals.", "campaigns.", "newsletters.", "visitors.")


# An idle session ends SESSION_COOKIE_AGE after the last request. Writing the session row on
# every request (SESSION_SAVE_EVERY_REQUEST) cost a write per page; renewing it at most once a
# minute keeps the idle limit to within a minute for one write a minute.
SESSION_RENEW_SECONDS = 60


def stamp_session(session) -> None:
    session[SESSION_RENEWED_KEY] = int(time.time())


def request_access(request):
    """(rights, has two-factor) of the request's user, asked on every request: from the versioned
    cache until a table they come from changes (a board function, an assignment, a party
    position, the member row, an authenticator) or the day turns. Once per request."""
    user = request.user
    known = getattr(request, "_krets_access", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    if not user.is_authenticated:
        access = (rights_for_user(user), False)
    else:
        access = cached(
            "access",
            f"{user.pk}:{timezone.localdate()}:{settings.KRETS_REQUIRE_MFA}",
            lambda: _access(user),
        )
    request._krets_access = (user.pk, access)
    return access


def _access(user):
    rights = rights_for_user(user)
    # Asked only of those who need two-factor (None: not asked, krets.twofactor asks itself).
    required = settings.KRETS_REQUIRE_MFA and (rights.is_board or rights.is_politician)
    return rights, (has_two_factor(user) if required else None)


class AccessMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.rights = SimpleLazyObject(lambda: request_access(request)[0])
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            renewed = session.get(SESSION_RENEWED_KEY, 0)
            if time.time() - renewed >= SESSION_RENEW_SECONDS:
                stamp_session(session)  # modified: SessionMiddleware saves it with a new expiry
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        url_name = match.url_name if match else None
        if url_name in OFF_URL_NAMES:
            raise Http404
        if url_name in PUBLIC_URL_NAMES:
            return None
        if getattr(view_func, "krets_public", False):
            if request.user.is_authenticated and needs_two_factor_setup(request):
                # A password alone must not open more than the public sees: on a public page a
                # board account without two-factor is an anonymous visitor.
                request.user = AnonymousUser()
                request.rights = rights_for_user(request.user)
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


class RequestSizeMiddleware:
    """Refuse a request body larger than KRETS_MAX_REQUEST_BYTES before anything reads it (the
    CSRF check reads the form, which spools uploads to disk): a message, not a full disk."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.KRETS_MAX_REQUEST_BYTES:
            messages.error(
                request,
                _("Filen är för stor (högst %(max)s).")
                % {"max": filesizeformat(settings.KRETS_MAX_REQUEST_BYTES)},
            )
            return redirect(request.path)
        if "%00" in request.META.get("QUERY_STRING", ""):
            # PostgreSQL refuses NUL in text, so a search or filter carrying one would be a 500.
            cleaned = request.GET.copy()
            for key in cleaned:
                cleaned.setlist(key, [value.replace("\x00", "") for value in cleaned.getlist(key)])
            request.GET = cleaned
        return self.get_response(request)


# Responses that are files of data: never kept by a browser or a proxy unless a view marks
# them public (the public calendar).
EXPORT_TYPES = (
    "text/csv",
    "text/calendar",
    "application/json",
    "application/vnd.openxmlformats-officedocument",
    "application/pdf",
)
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class SecurityHeadersMiddleware:
    """Headers on every page: no caching of personal data, no powerful browser features, and
    the CSP's frame-ancestors following the view's X-Frame-Options. Sits inside django-csp's
    middleware, so what it sets on the response reaches the Content-Security-Policy header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Read before the view: a public page may treat a signed-in account as anonymous.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        content_type = response.get("Content-Type", "")
        cache_control = response.get("Cache-Control", "")
        is_export = content_type.startswith(EXPORT_TYPES) or response.has_header(
            "Content-Disposition"
        )
        if signed_in or (is_export and "public" not in cache_control):
            response["Cache-Control"] = "no-store, private"
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            # e.g. the newsletter preview, framed by its own detail page.
            response._csp_replace = {"frame-ancestors": ["'self'"]}
        return response


QUEUE_REFUSED_MESSAGE = gettext_lazy(
    "E-postkön svarar inte just nu. Det du gjorde är sparat och inget har gått förlorat: "
    "breven väntar och skickas av sig själva när kön svarar igen."
)


class QueueRefusedMiddleware:
    """A broker that is down is not an error page. Any action that queued mail in this request
    (a newsletter, invitations, invoices) gets a Swedish message when the broker refused it;
    the send waits and the reconciler resumes it (krets.mail.services._enqueue_chunk). A
    QueueUnavailable that a view let through ends the same way, back on the page it came from.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forget_refused_sends()
        response = self.get_response(request)
        refused = refused_sends()
        forget_refused_sends()
        # Only sends still waiting: one the view cancelled (a link) it reported itself.
        if (
            refused
            and MailSend.objects.filter(pk__in=refused, state=MailSend.State.WAITING).exists()
        ):
            messages.warning(request, QUEUE_REFUSED_MESSAGE)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, QueueUnavailable):
            return None
        forget_refused_sends()  # told here, not again on the way out
        messages.warning(request, QUEUE_REFUSED_MESSAGE)
        back = request.headers.get("referer", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = reverse("overview") if request.user.is_authenticated else "/"
        return redirect(back)
