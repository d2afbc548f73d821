"""The dues app's mail, registered with the engine (krets.mail; autodiscovered): the invoice
(avi) and the reminder of unpaid dues. Templates in dues/templates/dues/email/.

The reminder kind keeps the name it had in members, so a send started before the move still
renders.
"""

from django.conf import settings

from krets.mail.kinds import Attachment, Kind, Recipient, register
from members.mail_kinds import self_service_link, still_members

from .models import DuesInvoice, DuesReminder
from .swish import swish_app_link, swish_payload, swish_qr_png

DUES_REMINDER = "members.dues_reminder"
DUES_INVOICE = "dues.invoice"
QR_FILENAME = "swish-qr.png"


def payment_context(invoice: DuesInvoice) -> dict:
    """What every dues mail names: what is left to pay, bankgiro, OCR, Swish (number, app link
    and the QR payload)."""
    left = invoice.left_to_pay
    return {
        "invoice": invoice,
        "member": invoice.member,
        "left_to_pay": left,
        "bankgiro": settings.BANKGIRO_NUMBER,
        "swish_number": settings.KRETS_SWISH_NUMBER,
        "swish_link": swish_app_link(
            number=settings.KRETS_SWISH_NUMBER, amount=left, message=invoice.ocr
        ),
        "swish_payload": swish_payload(
            number=settings.KRETS_SWISH_NUMBER, amount=left, message=invoice.ocr
        ),
        "qr_filename": QR_FILENAME,
        "link": self_service_link(invoice.member),
    }


def _qr_attachment(context: dict):
    return (Attachment(QR_FILENAME, swish_qr_png(context["swish_payload"]), "image/png"),)


def _dues_reminder(prepared, recipient: Recipient) -> dict:
    reminder = DuesReminder.objects.select_related("invoice__member").get(
        pk=recipient.context["reminder_id"]
    )
    return {**payment_context(reminder.invoice), "step": reminder.step}


def _dues_invoice(prepared, recipient: Recipient) -> dict:
    invoice = DuesInvoice.objects.select_related("member", "fee").get(
        pk=recipient.context["invoice_id"]
    )
    return payment_context(invoice)


register(
    Kind(
        name=DUES_REMINDER,
        template="dues/email/dues_reminder",
        context=_dues_reminder,
        still_wanted=still_members,
        attachments=_qr_attachment,
    )
)

register(
    Kind(
        name=DUES_INVOICE,
        template="dues/email/invoice",
        context=_dues_invoice,
        still_wanted=still_members,
        attachments=_qr_attachment,
    )
)
