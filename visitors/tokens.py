"""Signed links of the open doors, each purpose with its own salt (apart from members.tokens):
confirming a sign-up, verifying a membership application, the time a public form was opened
(the minimum fill time), and a contact's "no more invitations" (docs/tokens.md)."""

from django.core import signing

SIGNUP_CONFIRM = "krets.visitors.signup-confirm"
APPLICATION_VERIFY = "krets.visitors.application-verify"
FORM_STARTED = "krets.visitors.form-started"
# No expiry: RFC 8058 one-click must keep working for as long as the mail is kept.
CONTACT_UNSUBSCRIBE = "krets.visitors.contact-unsubscribe"
LINK_DAYS = 7


def make(purpose: str, pk: int) -> str:
    return signing.TimestampSigner(salt=purpose).sign_object({"id": pk})


def read(purpose: str, token: str, *, max_age_days: int = LINK_DAYS) -> int | None:
    """The id a valid, unexpired token of this purpose names, else None."""
    try:
        data = signing.TimestampSigner(salt=purpose).unsign_object(
            token, max_age=max_age_days * 86400
        )
    except signing.BadSignature:
        return None
    return data.get("id") if isinstance(data, dict) else None


def make_lasting(purpose: str, pk: int) -> str:
    """A token that never expires (an unsubscribe link); it opens only its purpose."""
    return signing.Signer(salt=purpose).sign_object({"id": pk})


def read_lasting(purpose: str, token: str) -> int | None:
    try:
        data = signing.Signer(salt=purpose).unsign_object(token)
    except signing.BadSignature:
        return None
    return data.get("id") if isinstance(data, dict) else None
