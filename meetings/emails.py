"""Every mail the meetings app sends: one small function each, subject and bodies from
templates. The tasks call these; the shared mail engine will take over the sending."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

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


def send_invitation(invitation: Invitation) -> None:
    _message("invitation", invitation).send()


def send_reminder(invitation: Invitation) -> None:
    _message("reminder", invitation).send()
