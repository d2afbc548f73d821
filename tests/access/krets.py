"""The project's own pages and allauth's account pages."""

from krets.health import heartbeat_record
from members.tokens import login_email_token
from tests.factories import BoardAssignmentFactory, BodyAssignmentFactory, UserFactory

from . import ANONYMOUS, EVERYONE, SIGNED_IN, Access, F, only

NONE = frozenset()
# allauth answers a signed-in person on its sign-in and sign-up pages with a redirect.
REDIRECTS_SIGNED_IN = {role: 302 for role in SIGNED_IN}
OFF = Access(NONE, denied=404, anonymous=404, anonymous_to_login=False)
# Pages about a second factor the person has not got: board roles and politicians (uppdrag)
# have TOTP in the sweep.
NO_TOTP = {"medlem": 404}


def _scheduler_ticked() -> dict:
    heartbeat_record()
    return {}


RULES = {
    "overview": Access(SIGNED_IN),
    # Public: load balancers and compose ask it without signing in; it shows no data.
    "healthz": Access(EVERYONE, kwargs=_scheduler_ticked),
    "account": Access(SIGNED_IN),
    "audit_log": Access(only(F.CHAIR)),
    "audit_log_export": Access(only(F.CHAIR)),
    "members:board": Access(only(F.CHAIR)),
    "members:board_invite": Access(only(F.CHAIR)),
    "members:board_remove": Access(
        only(F.CHAIR), method="post", ok=302, kwargs=lambda: {"pk": BoardAssignmentFactory().pk}
    ),
    "members:politician_invite": Access(
        only(F.CHAIR),
        method="post",
        ok=302,
        kwargs=lambda: {"pk": BodyAssignmentFactory().member_id},
    ),
    "members:account_deactivate": Access(
        only(F.CHAIR), method="post", ok=302, kwargs=lambda: {"pk": UserFactory().pk}
    ),
    "members:login_email_change": Access(only(F.CHAIR), kwargs=lambda: {"pk": UserFactory().pk}),
    "members:login_email_confirm": Access(
        EVERYONE,
        anonymous=200,
        kwargs=lambda: {"token": login_email_token(UserFactory().pk, "ny-login@example.org")},
    ),
    # allauth: public pages answer everyone; the rest need a signed-in person.
    "account_login": Access(EVERYONE, per_role=REDIRECTS_SIGNED_IN),
    "account_signup": Access(NONE, per_role=REDIRECTS_SIGNED_IN, anonymous_to_login=False),
    "account_logout": Access(SIGNED_IN, anonymous_to_login=False),
    "account_inactive": Access(EVERYONE),
    "account_reset_password": Access(EVERYONE),
    "account_reset_password_done": Access(EVERYONE),
    "account_reset_password_from_key": Access(
        EVERYONE, kwargs=lambda: {"uidb36": "1", "key": "fel-nyckel"}
    ),
    "account_reset_password_from_key_done": Access(EVERYONE),
    "account_reauthenticate": Access(SIGNED_IN),
    # Email management is off (krets.middleware.OFF_URL_NAMES): 404 for everyone.
    "account_email": OFF,
    "account_email_verification_sent": OFF,
    "account_confirm_email": Access(
        NONE, denied=404, anonymous=404, anonymous_to_login=False, kwargs=lambda: {"key": "x"}
    ),
    "account_change_password": Access(SIGNED_IN),
    # Everybody here has a password already: allauth sends them to "change password".
    "account_set_password": Access(SIGNED_IN, ok=302),
    "account_confirm_login_code": Access(SIGNED_IN, ok=302),
    "mfa_index": Access(SIGNED_IN),
    # Only reachable in the middle of signing in; otherwise back to the sign-in page.
    "mfa_authenticate": Access(SIGNED_IN, ok=302),
    "mfa_reauthenticate": Access(SIGNED_IN, per_role={"medlem": 302}),
    "mfa_activate_totp": Access(SIGNED_IN, ok=302),
    "mfa_deactivate_totp": Access(SIGNED_IN, ok=302, per_role=NO_TOTP),
    "mfa_view_recovery_codes": Access(SIGNED_IN, ok=404),
    "mfa_generate_recovery_codes": Access(SIGNED_IN, ok=302),
    "mfa_download_recovery_codes": Access(SIGNED_IN, ok=404),
    "mfa_list_webauthn": Access(SIGNED_IN),
    "mfa_add_webauthn": Access(SIGNED_IN, ok=302),
    "mfa_reauthenticate_webauthn": Access(SIGNED_IN, ok=302),
    "mfa_remove_webauthn": Access(SIGNED_IN, ok=302, kwargs=lambda: {"pk": 1}),
    "mfa_edit_webauthn": Access(SIGNED_IN, ok=302, kwargs=lambda: {"pk": 1}),
}
assert ANONYMOUS not in SIGNED_IN
