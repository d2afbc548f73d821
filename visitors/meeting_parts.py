"""The sign-ups on a meeting's page (meetings/parts.py), beside the invited members' replies,
with the boxes to record who came (only for those who may change the meeting); and, when the
meeting is moved or cancelled, a mail to those who signed up (services.signups_meeting_changed)."""

from meetings.parts import MeetingPart, Section, register
from meetings.selectors import can_change_meeting

from .models import Contact
from .selectors import meeting_signups
from .services import signups_meeting_changed


def _section(meeting, rights):
    if not meeting.is_open or not can_change_meeting(rights, meeting):
        return None
    return Section(
        "visitors/meeting_section.html",
        {
            "signups": meeting_signups(meeting),
            "invitable": Contact.objects.filter(invite_consent=True).count(),
        },
    )


register(MeetingPart(key="visitors", section=_section, changed=signups_meeting_changed))
