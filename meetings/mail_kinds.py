"""The meetings app's mail, registered with the engine (krets.mail; autodiscovered): the
invitation and the reminder before a meeting. Templates in meetings/templates/meetings/email/."""

from django.conf import settings
from django.urls import reverse

from krets.mail.kinds import Kind, Recipient, register
from members.selectors import active_member_ids
from members.tokens import MEETING_REPLY, member_token

from .models import Invitation

INVITATION = "meetings.invitation"
REMINDER = "meetings.reminder"


def reply_url(invitation: Invitation) -> str:
    token = member_token(invitation.member_id, MEETING_REPLY, extra=str(invitation.meeting_id))
    path = reverse("meetings:reply", kwargs={"pk": invitation.meeting_id, "token": token})
    return f"{settings.SITE_URL}{path}"


def _context(prepared, recipient: Recipient) -> dict:
    invitation = Invitation.objects.select_related("meeting", "member").get(
        pk=recipient.context["invitation_id"]
    )
    meeting = invitation.meeting
    return {
        "member": invitation.member,
        "meeting": meeting,
        "reply_url": reply_url(invitation),
        "ics_url": f"{settings.SITE_URL}{reverse('meetings:ics', kwargs={'pk': meeting.pk})}",
    }


def _still_members(member_ids: list[int], params: dict) -> set[int]:
    """Nobody who has left since the send started gets the mail."""
    return active_member_ids(member_ids)


register(
    Kind(
        name=INVITATION,
        template="meetings/email/invitation",
        context=_context,
        still_wanted=_still_members,
    )
)
register(
    Kind(
        name=REMINDER,
        template="meetings/email/reminder",
        context=_context,
        still_wanted=_still_members,
    )
)


# Justering: each justerare is asked to adjust the minutes, through a signed link -----------

ADJUST_REQUEST = "meetings.adjust_request"
# A member token's purpose (members/tokens.py signs it): opens only this meeting's justering.
MEETING_ADJUST = "meeting-adjust"


def adjust_url(adjuster) -> str:
    token = member_token(adjuster.member_id, MEETING_ADJUST, extra=str(adjuster.meeting_id))
    path = reverse("meetings:adjust", kwargs={"pk": adjuster.meeting_id, "token": token})
    return f"{settings.SITE_URL}{path}"


def _adjust_context(prepared, recipient: Recipient) -> dict:
    from .models import Adjuster

    adjuster = Adjuster.objects.select_related("meeting", "member").get(
        pk=recipient.context["adjuster_id"]
    )
    return {
        "member": adjuster.member,
        "meeting": adjuster.meeting,
        "adjust_url": adjust_url(adjuster),
    }


register(
    Kind(
        name=ADJUST_REQUEST,
        template="meetings/email/adjust_request",
        context=_adjust_context,
        still_wanted=_still_members,
    )
)
