"""Fictitious demo dues for 2023: the fee schedule, an invoice for every demo member, payments
by Swish and cash, a sample camt.054 file booked by bankgiro, and the reminders sent."""

import datetime
from decimal import Decimal
from pathlib import Path

from django.db.models import F
from django.utils import timezone

from krets.demo import HISTORY_YEAR, demo_today, demo_year, in_year, within_this_month
from members.demo import FIRST_NUMBER, demo_members
from members.models import Member, MemberTask

from . import services
from .models import BankEntry, DuesInvoice, DuesReminder, Fee, FeeCategory, Household, Payment

FEES_2023 = [
    ("Ordinarie", "250.00", True),
    ("Ungdom", "100.00", False),
    ("Familj", "400.00", False),
]
SAMPLE_CAMT = Path(__file__).resolve().parent / "samples" / "camt054-demo-2023.xml"


def load(stdout=None) -> None:
    # Only the demo's members, and only their invoices: load_demo may run beside real ones.
    members = list(demo_members().order_by("member_number"))
    fees = {
        # get_or_create: a chapter's own fee of the same name is never changed.
        name: Fee.objects.get_or_create(
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
        if member.joined_on.year > 2023 or (member.left_on and member.left_on.year < 2023):
            continue
        age = member.age_on(datetime.date(2023, 1, 1)) or 50
        fee = fees["Ungdom"] if age < 26 else fees["Ordinarie"]
        services.invoice_create(member=member, fee=fee)
    # Payments: most paid by Swish, some part paid, some unpaid; members 1001–1008 pay by
    # bankgiro in the sample camt.054 file below.
    demo_invoices = DuesInvoice.objects.filter(member__in=demo_members())
    for invoice in demo_invoices.filter(year=2023, payments=None).select_related("member"):
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
    # The sample file pays by OCR (member numbers 1001–1008): only where those are the demo's.
    foreign_2023 = DuesInvoice.objects.filter(year=2023).exclude(member__in=demo_members())
    sample_is_ours = not foreign_2023.filter(
        member__member_number__lt=FIRST_NUMBER + 10, member__member_number__gte=FIRST_NUMBER
    ).exists()
    if sample_is_ours and not BankEntry.objects.filter(bank_ref__startswith="SANDV-2023-").exists():
        services.bank_file_import(
            actor=None, name=SAMPLE_CAMT.name, content=SAMPLE_CAMT.read_bytes()
        )

    _reminder_history()
    DuesInvoice.objects.filter(year=2023, sent_at=None, member__in=demo_members()).update(
        sent_at=F("created_at")
    )
    if demo_year() != HISTORY_YEAR:
        # Issue 11's money first (categories, households, avis sent, a bank file), then the
        # year's payments and reminders; households' members get no invoice of their own.
        load_current_year_money(stdout)
        _this_year(members)
    unpaid = demo_invoices.filter(year=demo_year()).exclude(payments__isnull=False).count()
    if stdout:
        stdout.write(
            f"dues: {demo_invoices.filter(year=2023).count()} invoices for 2023, "
            f"{demo_invoices.filter(year=demo_year()).count()} for {demo_year()} "
            f"({unpaid} unpaid), {Payment.objects.filter(invoice__in=demo_invoices).count()} "
            "payments"
        )


def _reminder_history() -> None:
    """2023's unpaid dues as the daily job would have left them: both reminders sent, and a
    personal-contact task for the medlemsansvarig. Written directly so that loading the demo
    sends no mail."""
    steps = [(1, datetime.date(2023, 4, 14)), (2, datetime.date(2023, 5, 5))]
    unpaid = DuesInvoice.objects.filter(
        year=2023, payments=None, member__left_on=None, member__in=demo_members()
    )
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
            # History: the medlemsansvarig called them that summer.
            MemberTask.objects.update_or_create(
                member=invoice.member,
                kind=MemberTask.Kind.DUES_CONTACT,
                year=2023,
                defaults={
                    "due_on": datetime.date(2023, 6, 2),
                    "done_on": datetime.date(2023, 6, 1),
                    "method": MemberTask.Method.PHONE,
                },
            )


def _this_year(members) -> None:
    """Today's year: the same fees, an invoice for every current demo member, most paid by
    Swish since January, some part paid, some unpaid; and once the reminders would have run,
    reminders and this month's contact tasks for the medlemsansvarig."""
    year, today = demo_year(), demo_today()
    fees = {
        name: Fee.objects.get_or_create(
            year=year,
            name=name,
            defaults={"amount": Decimal(amount), "due_on": in_year(3, 31), "is_default": default},
        )[0]
        for name, amount, default in FEES_2023
    }
    for member in members:
        if member.left_on is not None or member.joined_on.year > year:
            continue
        if member.households.exists():  # paid by the household's family invoice
            continue
        age = member.age_on(in_year(1, 1)) or 50
        services.invoice_create(member=member, fee=fees["Ungdom" if age < 26 else "Ordinarie"])
    invoices = DuesInvoice.objects.filter(year=year, member__in=demo_members())
    # Payments came in from 1 January to today, spread by member number.
    days_so_far = (today - in_year(1, 1)).days
    for invoice in invoices.filter(payments=None).select_related("member"):
        number = invoice.member.member_number or 0
        if number % 10 in (0, 3, 5):  # unpaid
            continue
        amount = invoice.amount if number % 10 != 7 else Decimal("100.00")  # part paid
        services.payment_register(
            invoice=invoice,
            amount=amount,
            paid_on=in_year(1, 1) + datetime.timedelta(days=number % (days_so_far + 1)),
            method="swish" if number % 4 else "kontant",
        )
    steps = [(1, 14), (2, 35)]
    unpaid = invoices.filter(payments=None, member__left_on=None).select_related("member", "fee")
    for invoice in unpaid:
        for step, days_after_due in steps:
            day = invoice.due_on + datetime.timedelta(days=days_after_due)
            if day >= today:
                continue
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
        contact_from = invoice.due_on + datetime.timedelta(days=56)
        if contact_from < today and invoice.member.member_number % 20 == 0:
            MemberTask.objects.get_or_create(
                member=invoice.member,
                kind=MemberTask.Kind.DUES_CONTACT,
                year=year,
                # Spread over the days around today, inside this month.
                defaults={
                    "due_on": within_this_month(
                        max(contact_from, today)
                        + datetime.timedelta(days=invoice.member.member_number % 9 - 4)
                    )
                },
            )


# --- This year's money (issue 11): categories, households, avis sent, a batch bank file, a
# reversal, an overpayment, a write-off. Kept in its own functions, beside the 2023 history.

CURRENT_FEES = [
    ("Ordinarie", FeeCategory.ORDINARY, "250.00", True),
    ("Ungdom", FeeCategory.YOUTH, "100.00", False),
    ("Familj", FeeCategory.FAMILY, "400.00", False),
]


def load_current_year_money(stdout=None) -> None:
    """Idempotent: a second load adds nothing (invoices by member and year, bank references)."""
    today = demo_today()
    year = demo_year()
    if year == HISTORY_YEAR:
        return
    due_on = min(datetime.date(year, 3, 31), today)
    for name, category, amount, default in CURRENT_FEES:
        # get_or_create: a chapter's own fee of the same name is never changed.
        Fee.objects.get_or_create(
            year=year,
            name=name,
            defaults={
                "category": category,
                "amount": Decimal(amount),
                "due_on": due_on,
                "is_default": default,
            },
        )
    members = list(demo_members().filter(left_on=None).order_by("member_number"))
    _demo_households(members)
    for member in members:
        age = member.age_on(datetime.date(year, 1, 1)) or 50
        if age < 26:
            services.member_category_set(actor=None, member=member, category=FeeCategory.YOUTH)
    services.invoices_create_by_category(actor=None, year=year)
    # The avis went out with the fee's due date; written directly so that loading sends no mail.
    sent_at = timezone.make_aware(datetime.datetime.combine(due_on, datetime.time(8)))
    sent_at -= datetime.timedelta(days=30)
    DuesInvoice.objects.filter(year=year, sent_at=None, member__in=demo_members()).update(
        sent_at=sent_at
    )
    _demo_batch_file(year=year, paid_on=due_on)
    _demo_corrections(year=year, day=due_on)
    if stdout:
        stdout.write(
            f"dues: {DuesInvoice.objects.filter(year=year).count()} invoices for {year}, "
            f"{Household.objects.count()} households"
        )


def _demo_households(members: list[Member]) -> None:
    """Three households of two or three members who share a surname in the demo."""
    if Household.objects.exists():
        return
    for start in (20, 30, 40):
        group = members[start : start + (3 if start == 20 else 2)]
        if len(group) < 2:
            continue
        services.household_create(
            actor=None, name=f"Hushållet {group[0].last_name}", payer=group[0], members=group[1:]
        )


def _demo_batch_file(*, year: int, paid_on: datetime.date) -> None:
    """A Bankgirot deposit (camt.054.001.02) of twelve payments in one batch, booked."""
    if BankEntry.objects.filter(bank_ref__startswith=f"DEMO-{year}-").exists():
        return
    invoices = list(
        DuesInvoice.objects.filter(year=year, paid_amount=0, member__in=demo_members()).order_by(
            "ocr"
        )[:12]
    )
    if not invoices:
        return
    total = sum(i.amount for i in invoices)
    txs = "".join(
        f"<TxDtls><Refs><AcctSvcrRef>DEMO-{year}-{n:03d}</AcctSvcrRef></Refs>"
        f'<AmtDtls><TxAmt><Amt Ccy="SEK">{i.amount:.2f}</Amt></TxAmt></AmtDtls>'
        f"<RmtInf><Strd><CdtrRefInf><Ref>{i.ocr}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"
        for n, i in enumerate(invoices, 1)
    )
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>DEMO{year}</MsgId><CreDtTm>{paid_on}T06:00:00</CreDtTm></GrpHdr>
<Ntfctn><Id>DEMO-{year}</Id><CreDtTm>{paid_on}T06:00:00</CreDtTm>
<Acct><Id><Othr><Id>50501055</Id></Othr></Id></Acct>
<Ntry><NtryRef>DEMO-{year}</NtryRef><Amt Ccy="SEK">{total:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<Sts>BOOK</Sts><BookgDt><Dt>{paid_on}</Dt></BookgDt><AcctSvcrRef>DEMO-{year}</AcctSvcrRef>
<NtryDtls><Btch><NbOfTxs>{len(invoices)}</NbOfTxs></Btch>{txs}</NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"""
    services.bank_file_import(
        actor=None, name=f"camt054-bankgirot-{year}.xml", content=xml.encode()
    )


def _demo_corrections(*, year: int, day: datetime.date) -> None:
    """A payment registered on the wrong avi and reversed, an overpayment, a write-off."""
    if Payment.objects.filter(invoice__year=year, reverses__isnull=False).exists():
        return
    open_invoices = list(
        DuesInvoice.objects.filter(
            year=year, paid_amount=0, household=None, member__in=demo_members()
        ).order_by("-ocr")[:3]
    )
    if len(open_invoices) < 3:
        return
    wrong, over, gone = open_invoices
    mistake = services.payment_register(
        invoice=wrong, amount=wrong.amount, paid_on=day, method="swish"
    )
    services.payment_reverse(payment=mistake, reason="Registrerad på fel avi", reversed_on=day)
    services.payment_register(
        invoice=over, amount=over.amount + Decimal("100.00"), paid_on=day, method="swish"
    )
    services.invoice_write_off(actor=None, invoice=gone, reason="Medlemmen har avlidit", today=day)
