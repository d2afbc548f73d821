"""Fictitious demo dues for 2023: the fee schedule, an invoice for every demo member, payments
by Swish and cash, a sample camt.054 file booked by bankgiro, and the reminders sent."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from members.demo import DEMO_MEMBERS, FIRST_NUMBER
from members.models import Member, MemberTask

from . import services
from .models import BankEntry, DuesInvoice, DuesReminder, Fee, Payment

FEES_2023 = [
    ("Ordinarie", "250.00", True),
    ("Ungdom", "100.00", False),
    ("Familj", "400.00", False),
]
SAMPLE_CAMT = Path(__file__).resolve().parent / "samples" / "camt054-demo-2023.xml"


def load(stdout=None) -> None:
    members = list(
        Member.objects.filter(
            member_number__gte=FIRST_NUMBER, member_number__lt=FIRST_NUMBER + DEMO_MEMBERS
        ).order_by("member_number")
    )
    fees = {
        name: Fee.objects.update_or_create(
            year=2023,
            name=name,
            defaults={
                "amount": Decimal(amount),
                "due_on": datetime.date(2023, 3, 31),
                "is_default": default,
            },
        )[0]
        for name, amount, default in FEES_2023
    }
    for member in members:
        if member.joined_on.year > 2023:
            continue
        age = member.age_on(datetime.date(2023, 1, 1)) or 50
        fee = fees["Ungdom"] if age < 26 else fees["Ordinarie"]
        services.invoice_create(member=member, fee=fee)
    services.invoices_create_for_year(fee=fees["Ordinarie"])
    # Payments: most paid by Swish, some part paid, some unpaid; members 1001–1008 pay by
    # bankgiro in the sample camt.054 file below.
    for invoice in DuesInvoice.objects.filter(year=2023, payments=None).select_related("member"):
        number = invoice.member.member_number
        if FIRST_NUMBER <= number < FIRST_NUMBER + 10 or number % 10 in (0, 3):
            continue
        amount = invoice.amount if number % 10 != 7 else Decimal("100.00")
        services.payment_register(
            invoice=invoice,
            amount=amount,
            paid_on=datetime.date(2023, 2, 1) + datetime.timedelta(days=number % 50),
            method="swish" if number % 4 else "kontant",
        )
    if not BankEntry.objects.filter(bank_ref__startswith="SANDV-2023-").exists():
        services.bank_file_import(
            actor=None, name=SAMPLE_CAMT.name, content=SAMPLE_CAMT.read_bytes()
        )

    _reminder_history()
    unpaid = DuesInvoice.objects.filter(year=2023).exclude(payments__isnull=False).count()
    if stdout:
        stdout.write(
            f"dues: {DuesInvoice.objects.filter(year=2023).count()} invoices for 2023 "
            f"({unpaid} unpaid), {Payment.objects.count()} payments"
        )


def _reminder_history() -> None:
    """2023's unpaid dues as the daily job would have left them: both reminders sent, and a
    personal-contact task for the medlemsansvarig. Written directly so that loading the demo
    sends no mail."""
    steps = [(1, datetime.date(2023, 4, 14)), (2, datetime.date(2023, 5, 5))]
    unpaid = DuesInvoice.objects.filter(year=2023, payments=None, member__left_on=None)
    for invoice in unpaid.select_related("member"):
        for step, day in steps:
            DuesReminder.objects.get_or_create(
                invoice=invoice,
                step=step,
                defaults={
                    "created_on": day,
                    "sent_at": timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(7))
                    ),
                },
            )
        if invoice.member.member_number % 20 == 0:
            DuesReminder.objects.get_or_create(
                invoice=invoice, step=3, defaults={"created_on": datetime.date(2023, 5, 26)}
            )
            MemberTask.objects.get_or_create(
                member=invoice.member,
                kind=MemberTask.Kind.DUES_CONTACT,
                year=2023,
                defaults={"due_on": datetime.date(2023, 6, 2)},
            )
