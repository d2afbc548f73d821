"""The dues app's mail, registered with the engine (krets.mail; autodiscovered): the reminder
of unpaid dues. Templates in dues/templates/dues/email/.

The kind keeps the name it had in members, so a send started before the move still renders.
"""

from django.conf import settings

from krets.mail.kinds import Kind, Recipient, register
from members.mail_kinds import self_service_link, still_members

from .models import DuesReminder

DUES_REMINDER = "members.dues_reminder"


def _dues_reminder(prepared, recipient: Recipient) -> dict:
    reminder = DuesReminder.objects.select_related("invoice__member").get(
        pk=recipient.context["reminder_id"]
    )
    invoice = reminder.invoice
    return {
        "member": invoice.member,
        "invoice": invoice,
        "step": reminder.step,
        "swish_number": settings.KRETS_SWISH_NUMBER,
        "link": self_service_link(invoice.member),
    }


register(
    Kind(
        name=DUES_REMINDER,
        template="dues/email/dues_reminder",
        context=_dues_reminder,
        still_wanted=still_members,
    )
)
