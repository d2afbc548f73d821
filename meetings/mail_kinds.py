"""The meetings app's mail, registered with the engine (krets.mail; autodiscovered): the
invitation, the reminder before a meeting, and the notice when a meeting is moved or
cancelled. Templates in meetings/templates/meetings/email/.

Every one carries the meeting's `.ics` as an attachment, `text/calendar; method=PUBLISH`.
Why PUBLISH and not REQUEST (RFC 6047 iMIP, RFC 5546 iTIP): a REQUEST names the recipient as
an ATTENDEE and the chapter as ORGANIZER, and the apps that honour it (Outlook, Gmail, Apple
Mail) then offer Accept/Decline buttons that mail an iTIP REPLY to the organiser's address,
where nothing reads it; the answer the chapter counts is the signed reply link. A PUBLISH
object needs no attendee list and is what those apps show as "Lägg till i kalender" / open in
one tap; a later PUBLISH of the same UID with a higher SEQUENCE replaces the event (a move),
and STATUS:CANCELLED marks it cancelled, with no CANCEL method needed. The part's `method`
parameter equals the object's METHOD property, as the text/calendar registration requires.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krets.mail.kinds import Attachment, Kind, Recipient, register
from members.models import Member
from members.selectors import active_member_ids
from members.tokens import MEETING_REPLY, OPEN_MEETINGS_UNSUBSCRIBE, member_token

from .ical import meeting_ics_bytes, meeting_ics_filename, meeting_ics_url, when_text
from .models import Invitation, Meeting

INVITATION = "meetings.invitation"
REMINDER = "meetings.reminder"
NOTICE = "meetings.notice"  # moved or cancelled
ICS_METHOD = "PUBLISH"


def reply_url(invitation: Invitation) -> str:
    token = member_token(invitation.member_id, MEETING_REPLY, extra=str(invitation.meeting_id))
    path = reverse("meetings:reply", kwargs={"pk": invitation.meeting_id, "token": token})
    return f"{settings.SITE_URL}{path}"


def _context(params: dict, recipient: Recipient) -> dict:
    invitation = Invitation.objects.select_related("meeting", "member", "meeting__district").get(
        pk=recipient.context["invitation_id"]
    )
    meeting = invitation.meeting
    return {
        "member": invitation.member,
        "meeting": meeting,
        "reply_url": reply_url(invitation),
        "ics_url": meeting_ics_url(meeting, invitation.member),
        "unsubscribe_url": unsubscribe_url(invitation.member_id) if meeting.is_open else "",
    }


def _notice_context(params: dict, recipient: Recipient) -> dict:
    context = _context(params, recipient)
    changes = set(params.get("changes", []))
    before = dict(params.get("before", {}))
    if before.get("starts_at"):
        was = Meeting(
            starts_at=datetime.datetime.fromisoformat(before["starts_at"]),
            ends_at=datetime.datetime.fromisoformat(before["ends_at"]),
        )
        before["when"] = when_text(was)  # "sön 13 dec 2026 18:30–20:30"
    return {
        **context,
        "cancelled": "cancelled" in changes,
        "time_changed": "time" in changes,
        "place_changed": "place" in changes,
        "before": before,
    }


def _ics(context: dict) -> list[Attachment]:
    meeting = context["meeting"]
    return [
        Attachment(
            filename=meeting_ics_filename(meeting),
            content=meeting_ics_bytes(meeting, method=ICS_METHOD),
            content_type=f"text/calendar; method={ICS_METHOD}; charset=utf-8",
        )
    ]


def _meeting_page(params: dict) -> str:
    return reverse("meetings:detail", kwargs={"pk": params["meeting_id"]})


def _still_members(member_ids: list[int], params: dict) -> set[int]:
    """Nobody who has left since the send started gets the mail, nor, for a meeting open to
    all, anyone who has said no to such invitations since; nobody, once it is cancelled."""
    wanted = active_member_ids(member_ids)
    meeting = Meeting.objects.filter(pk=params.get("meeting_id")).first()
    if meeting is not None and meeting.status == Meeting.Status.CANCELLED:
        return set()  # cancelled before its invitations went out: the notice says it instead
    if meeting is not None and meeting.is_open:
        wanted &= set(
            Member.objects.filter(pk__in=wanted, open_meeting_invitations=True).values_list(
                "pk", flat=True
            )
        )
    return wanted


def unsubscribe_url(member_id: int) -> str:
    token = member_token(member_id, OPEN_MEETINGS_UNSUBSCRIBE)
    return settings.SITE_URL + reverse("meetings:unsubscribe", kwargs={"token": token})


def _list_headers(context: dict) -> dict[str, str]:
    """RFC 8058 one-click unsubscribe on invitations to meetings open to all members (mail to
    many, like a newsletter): an HTTPS link the mail app POSTs `List-Unsubscribe=One-Click` to.
    A meeting the member is invited to in person (board, council group) has none: that mail
    is not theirs to turn off. The relay's DKIM signature must cover both headers (RFC 8058
    §3.1); that is the relay's configuration, not this code's."""
    if not context["meeting"].is_open:
        return {}
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Inbjudningar till kretsmöten <moten.{settings.SITE_URL.split('//')[-1]}>",
    }


def _not_declined(member_ids: list[int], params: dict) -> set[int]:
    """A notice: still a member, and not someone who answered no in the meantime."""
    declined = set(
        Invitation.objects.filter(
            meeting_id=params["meeting_id"], member_id__in=member_ids, reply=Invitation.Reply.NO
        ).values_list("member_id", flat=True)
    )
    return active_member_ids(member_ids) - declined


register(
    Kind(
        name=INVITATION,
        label=_("Inbjudan till möte"),
        page=_meeting_page,
        template="meetings/email/invitation",
        context=_context,
        still_wanted=_still_members,
        attachments=_ics,
        headers=_list_headers,
    )
)
register(
    Kind(
        name=REMINDER,
        label=_("Påminnelse om möte"),
        page=_meeting_page,
        template="meetings/email/reminder",
        context=_context,
        still_wanted=_still_members,
        attachments=_ics,
        headers=_list_headers,
    )
)
register(
    Kind(
        name=NOTICE,
        label=_("Meddelande om ändrat möte"),
        page=_meeting_page,
        template="meetings/email/notice",
        context=_notice_context,
        still_wanted=_not_declined,
        attachments=_ics,
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
