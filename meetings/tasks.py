"""Background work: thin tasks that take ids and call the services and the mail functions."""

from celery import shared_task

from . import emails, selectors, services
from .models import Invitation


@shared_task
def send_invitations(meeting_id: int) -> int:
    """Mail every invitation of the meeting not yet mailed; safe to run twice."""
    pending = Invitation.objects.filter(meeting_id=meeting_id, sent_at__isnull=True)
    sent = 0
    for invitation_id in pending.values_list("pk", flat=True).iterator():
        invitation = services.invitation_claim(invitation_id=invitation_id, field="sent_at")
        if invitation is not None:
            emails.send_invitation(invitation)
            sent += 1
    return sent


@shared_task
def send_due_reminders() -> int:
    """Periodic (django-celery-beat, hourly): remind those invited to meetings soon."""
    sent = 0
    for invitation_id in selectors.reminders_due():
        invitation = services.invitation_claim(invitation_id=invitation_id, field="reminded_at")
        if invitation is not None:
            emails.send_reminder(invitation)
            sent += 1
    return sent
