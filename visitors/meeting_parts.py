"""The sign-ups on a meeting's page (meetings/parts.py), beside the invited members' replies,
with the boxes to record who came (only for those who may change the meeting); and, when the
meeting is moved or cancelled, a mail to those who signed up (services.signups_meeting_changed)."""

from django.utils import timezone

from meetings.parts import MeetingPart, Section, register
from meetings.selectors import can_change_meeting

from .models import Contact
from .selectors import meeting_signups
from .services import signups_meeting_changed


def _section(meeting, rights):
    if not meeting.is_open or not can_change_meeting(rights, meeting):
        return None
    signups = meeting_signups(meeting)
    return Section(
        "visitors/meeting_section.html",
        {
            "signups": signups,
            "invitable": Contact.objects.filter(invite_consent=True).count(),
            # Who came is recorded from the start, as for the meeting's own attendance, and
            # not once the adjusted protocol lists them.
            "started": meeting.starts_at <= timezone.now(),
            "locked": meeting.minutes_locked,
        },
        rows=len(signups),
    )


def _present(meeting) -> list[tuple[int | None, str]]:
    """Those who signed up and were ticked as come: in the meeting's count and protocol."""
    return [
        (signup.member_id, signup.name) for signup in meeting_signups(meeting) if signup.attended
    ]


register(
    MeetingPart(key="visitors", section=_section, changed=signups_meeting_changed, present=_present)
)
