"""Signed links for members, who have no password: self-service, unsubscribe, replies.

A token names one member and one purpose; a token made for one purpose never opens another.
"""

from django.core import signing

from .models import Member

SELF_SERVICE = "self-service"
UNSUBSCRIBE = "unsubscribe"
MEETING_REPLY = "meeting-reply"
MEETING_CALENDAR = "meeting-calendar"  # a meeting's .ics, from the link in a mail
OPEN_MEETINGS_UNSUBSCRIBE = "open-meetings-unsubscribe"  # no more invitations to open meetings


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
