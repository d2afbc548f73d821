"""Signed links for members, who have no password: self-service, unsubscribe, replies.

A token names one member and one purpose; a token made for one purpose never opens another
(each purpose signs with its own salt). docs/tokens.md lists each: purpose, lifetime, what it
opens. Only the personal links (self-service, sent to one person on request) open personal data.
"""

from django.core import signing

from .models import Member

SELF_SERVICE = "self-service"
# The "Tidigare nyhetsbrev" link in every newsletter: it opens the newsletter archive and nothing
# else, because a newsletter is forwarded (docs/tokens.md).
NEWSLETTER_ARCHIVE = "newsletter-archive"
UNSUBSCRIBE = "unsubscribe"
# The confirmation link mailed to a new address given on "Mina uppgifter" (extra = the address).
EMAIL_CHANGE = "email-change"
EMAIL_CHANGE_DAYS = 2
# The download of everything kept about a member: a fresh link to the address on file, asked
# for on "Mina uppgifter" (a forwarded self-service link cannot take the data away).
DATA_DOWNLOAD = "data-download"
DATA_DOWNLOAD_DAYS = 1
MEETING_REPLY = "meeting-reply"
MEETING_CALENDAR = "meeting-calendar"  # a meeting's .ics, from the link in a mail


def member_token(member_id: int, purpose: str, extra: str = "") -> str:
    return signing.TimestampSigner(salt=f"krets.member.{purpose}").sign_object(
        {"m": member_id, "x": extra}
    )


def member_from_token(
    token: str, purpose: str, *, max_age_days: int | None = None, extra: str = ""
) -> Member | None:
    """The member a valid, unexpired token names, or None (forged, expired, other purpose)."""
    signer = signing.TimestampSigner(salt=f"krets.member.{purpose}")
    try:
        data = signer.unsign_object(
            token, max_age=max_age_days * 86400 if max_age_days is not None else None
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("x", "") != extra:
        return None
    return Member.objects.filter(pk=data.get("m")).first()


# A board member's *login* address, changed by the ordförande under "Styrelsen": the link goes to
# the new address and names the login (not a member) and the address (docs/tokens.md).
LOGIN_EMAIL = "login-email"
LOGIN_EMAIL_DAYS = 2


def login_email_token(user_id: int, email: str) -> str:
    return signing.TimestampSigner(salt=f"krets.user.{LOGIN_EMAIL}").sign_object(
        {"u": user_id, "e": email.lower()}
    )


def login_email_from_token(token: str) -> tuple[int, str] | None:
    """(user id, new address) of a valid, unexpired login-address token, else None."""
    signer = signing.TimestampSigner(salt=f"krets.user.{LOGIN_EMAIL}")
    try:
        data = signer.unsign_object(token, max_age=LOGIN_EMAIL_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str):
        return None
    return data.get("u"), data["e"]
