"""Every mail the meetings app sends: built from templates here, sent by the shared mail
engine (krets.mail), once per invitation and kind, with retries and bounce suppression."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from krets.mail import kinds
from krets.mail.kinds import Kind, Recipient, Rendered
from krets.mail.services import mail_send_start
from members.selectors import active_member_ids
from members.tokens import MEETING_REPLY, member_token

from .models import Invitation


def reply_url(invitation: Invitation) -> str:
    token = member_token(invitation.member_id, MEETING_REPLY, extra=str(invitation.meeting_id))
    path = reverse("meetings:reply", kwargs={"pk": invitation.meeting_id, "token": token})
    return f"{settings.SITE_URL}{path}"


def _message(template: str, invitation: Invitation) -> EmailMultiAlternatives:
    meeting = invitation.meeting
    context = {
        "member": invitation.member,
        "meeting": meeting,
        "reply_url": reply_url(invitation),
        "ics_url": f"{settings.SITE_URL}{reverse('meetings:ics', kwargs={'pk': meeting.pk})}",
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string(f"meetings/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"meetings/email/{template}.txt", context),
        to=[invitation.member.email],
    )
    message.attach_alternative(
        render_to_string(f"meetings/email/{template}.html", context), "text/html"
    )
    return message


INVITATION = "meetings.invitation"
REMINDER = "meetings.reminder"


def _render(template: str):
    def render(prepared, recipient: Recipient) -> Rendered:
        invitation = Invitation.objects.select_related("meeting", "member").get(
            pk=recipient.context["invitation_id"]
        )
        message = _message(template, invitation)
        return Rendered(subject=message.subject, text=message.body, html=message.alternatives[0][0])

    return render


def _still_members(member_ids: list[int], params: dict) -> set[int]:
    """Nobody who has left since the send started gets the mail."""
    return active_member_ids(member_ids)


def register_kinds() -> None:
    kinds.register(Kind(name=INVITATION, render=_render("invitation"), still_wanted=_still_members))
    kinds.register(Kind(name=REMINDER, render=_render("reminder"), still_wanted=_still_members))


def _start(kind: str, invitation: Invitation) -> None:
    if not invitation.member.email:
        return
    mail_send_start(
        kind=kind,
        key=f"{kind}:{invitation.pk}",
        recipients=[
            Recipient(
                invitation.member.email, invitation.member_id, {"invitation_id": invitation.pk}
            )
        ],
    )


def send_invitation(invitation: Invitation) -> None:
    _start(INVITATION, invitation)


def send_reminder(invitation: Invitation) -> None:
    _start(REMINDER, invitation)
