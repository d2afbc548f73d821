"""The first dues invoice of a new member, with the Swish link and QR code.

FOR THE LEAD TO SWITCH: the dues helper is adding `dues.services.invoice_send(*, actor,
invoice)`, which mails an invoice with its Swish link and QR. When it is on main this module
calls it; until then it sends the invoice through this app's own mail kind
(`visitors.first_invoice`, templates visitors/email/first_invoice*). Once invoice_send has
landed, delete the fallback branch, the kind and its templates.
"""

import json
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.utils import timezone

from dues import services as dues_services
from dues.models import DuesInvoice, Fee
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.models import Member, User

FIRST_INVOICE = "visitors.first_invoice"


def fee_for(name: str = "", *, year: int | None = None) -> Fee | None:
    """This year's fee with that name, else the year's default fee, else None."""
    year = year or timezone.localdate().year
    fees = Fee.objects.filter(year=year)
    return (name and fees.filter(name=name).first()) or fees.filter(is_default=True).first()


def swish_link(*, amount: Decimal, message: str) -> str:
    """Swish's prefilled-payment link (opens the Swish app with payee, amount and message)."""
    payee = "".join(char for char in settings.KRETS_SWISH_NUMBER if char.isdigit())
    data = {
        "version": 1,
        "payee": {"value": payee},
        "amount": {"value": float(amount)},
        "message": {"value": message, "editable": False},
    }
    return "swish://payment?data=" + quote(json.dumps(data, separators=(",", ":")), safe="")


def first_invoice_send(
    *, actor: User | None, member: Member, fee_name: str = ""
) -> DuesInvoice | None:
    """Create the member's invoice for this year (if the year has a fee) and mail it."""
    fee = fee_for(fee_name)
    if fee is None or not member.email:
        return None
    invoice = dues_services.invoice_create(member=member, fee=fee)
    invoice_send = getattr(dues_services, "invoice_send", None)
    if invoice_send is not None:
        invoice_send(actor=actor, invoice=invoice)
    else:  # the adapter: remove once dues.services.invoice_send is on main
        mail_send_start(
            kind=FIRST_INVOICE,
            key=f"{FIRST_INVOICE}:{invoice.pk}",
            recipients=[Recipient(member.email, member.pk, {"invoice_id": invoice.pk})],
        )
    return invoice
