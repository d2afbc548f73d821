"""The first dues invoice of a new member: created for this year's fee and mailed by dues'
own invoice service (amount, bankgiro, OCR, Swish link and QR code)."""

from django.utils import timezone

from dues import services as dues_services
from dues.models import DuesInvoice, Fee
from members.models import Member, User


def fee_for(name: str = "", *, year: int | None = None) -> Fee | None:
    """This year's fee with that name, else the year's default fee, else None."""
    year = year or timezone.localdate().year
    fees = Fee.objects.filter(year=year)
    return (name and fees.filter(name=name).first()) or fees.filter(is_default=True).first()


def first_invoice_send(
    *, actor: User | None, member: Member, fee_name: str = ""
) -> DuesInvoice | None:
    """Create the member's invoice for this year (if the year has a fee) and mail it."""
    fee = fee_for(fee_name)
    if fee is None or not member.email:
        return None
    invoice = dues_services.invoice_create(member=member, fee=fee)
    dues_services.invoice_send(actor=actor, invoice=invoice)
    return invoice
