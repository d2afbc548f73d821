"""Signed links of the open doors, each purpose with its own salt (apart from members.tokens):
confirming a sign-up, verifying a membership application, and the time a public form was
opened (the minimum fill time)."""

from django.core import signing

SIGNUP_CONFIRM = "krets.visitors.signup-confirm"
APPLICATION_VERIFY = "krets.visitors.application-verify"
FORM_STARTED = "krets.visitors.form-started"
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
