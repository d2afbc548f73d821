"""Writes about dues: fees, invoices, payments, bank files, and the reminders that chase
unpaid dues.

Services that act for a person take the acting user (`actor`) and the client's address
(`ip`); none takes a request. A write the rules refuse raises krets.errors.Invalid."""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from krets.errors import Invalid
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.models import Member, MemberTask, User
from members.services import WELCOME_WITHIN_DAYS, member_numbers_assign, member_view_record

from . import mail_kinds
from .camt import parse_bank_file
from .models import BankEntry, BankFile, DuesInvoice, DuesReminder, Fee, Payment, PaymentMethod
from .ocr import dues_ocr
from .selectors import export_rows, invoice_paid_total, invoices_with_status, reminder_steps_due

# --- Fees and invoices --------------------------------------------------------------------


def fee_create(*, actor: User, data: dict, ip: str | None = None) -> Fee:
    """Add a line to a year's fee schedule (the kassör's form, already validated)."""
    return Fee.objects.create(**data)


def invoice_create(*, member: Member, fee: Fee) -> DuesInvoice:
    if not member.member_number:
        member_numbers_assign()
        member.refresh_from_db(fields=["member_number"])
    invoice, _created = DuesInvoice.objects.get_or_create(
        member=member,
        year=fee.year,
        defaults={
            "fee": fee,
            "amount": fee.amount,
            "due_on": fee.due_on,
            "ocr": dues_ocr(year=fee.year, member_number=member.member_number),
        },
    )
    return invoice


@transaction.atomic
def invoices_create_for_year(*, fee: Fee, actor: User | None = None, ip: str | None = None) -> int:
    """An invoice with `fee` for every current member who has none for the year yet."""
    member_numbers_assign()
    members = Member.objects.filter(left_on__isnull=True, joined_on__year__lte=fee.year).exclude(
        invoices__year=fee.year
    )
    invoices = [
        DuesInvoice(
            member=member,
            year=fee.year,
            fee=fee,
            amount=fee.amount,
            due_on=fee.due_on,
            ocr=dues_ocr(year=fee.year, member_number=member.member_number),
        )
        for member in members.only("id", "member_number").iterator()
    ]
    DuesInvoice.objects.bulk_create(invoices, batch_size=2000, ignore_conflicts=True)
    return len(invoices)


def invoice_view_record(*, actor: User, invoice: DuesInvoice, ip: str | None = None) -> None:
    """The audit entry for looking at an invoice: it shows the member's data."""
    member_view_record(actor=actor, member=invoice.member, detail={"dues": invoice.year}, ip=ip)


# --- Payments -----------------------------------------------------------------------------


def payment_register(
    *,
    invoice: DuesInvoice,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
    actor: User | None = None,
    ip: str | None = None,
) -> Payment:
    """Money received against an invoice; `actor` is who registered it (None: a job)."""
    if amount <= 0:
        raise Invalid(_("En betalning är ett positivt belopp."))
    return Payment.objects.create(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        registered_by=actor,
    )


@dataclass
class BankImportResult:
    kind: str
    booked: int = 0
    queued: int = 0
    already: int = 0


def bank_file_import(
    *, actor: User | None, name: str, content: bytes, ip: str | None = None
) -> BankImportResult:
    """Book credits whose reference is an OCR of ours; queue the rest for matching by hand.

    A credit the bank has sent before (same bank reference) is skipped, so importing the same
    file twice books nothing twice. A file that cannot be read books nothing (BankFileError).
    """
    kind, credits = parse_bank_file(content)
    result = BankImportResult(kind=kind)
    with transaction.atomic():
        bank_file = BankFile.objects.create(
            name=name[:200],
            kind=kind,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        known = set(
            BankEntry.objects.filter(bank_ref__in=[c.bank_ref for c in credits]).values_list(
                "bank_ref", flat=True
            )
        )
        references = {"".join(ch for ch in c.reference if ch.isdigit()) for c in credits}
        invoices = {inv.ocr: inv for inv in DuesInvoice.objects.filter(ocr__in=references)}
        for credit in credits:
            if credit.bank_ref in known:
                result.already += 1
                continue
            known.add(credit.bank_ref)
            entry = BankEntry.objects.create(
                file=bank_file,
                bank_ref=credit.bank_ref,
                booked_on=credit.booked_on,
                amount=credit.amount,
                reference=credit.reference,
                payer=credit.payer,
            )
            invoice = invoices.get("".join(ch for ch in credit.reference if ch.isdigit()))
            if invoice is not None and credit.amount > 0:
                _entry_book(entry=entry, invoice=invoice, actor=bank_file.uploaded_by)
                result.booked += 1
            else:
                result.queued += 1
    return result


@transaction.atomic
def bank_entry_match(
    *, actor: User, entry: BankEntry, invoice: DuesInvoice, ip: str | None = None
) -> Payment:
    """Book a queued bank credit against an invoice chosen by hand."""
    entry = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.payment_id is not None:
        raise Invalid(_("Posten är redan bokförd."))
    return _entry_book(entry=entry, invoice=invoice, actor=actor)


def bank_entry_dismiss(*, actor: User, entry: BankEntry, ip: str | None = None) -> None:
    """Take a credit that is not dues (a gift, a refund) off the matching queue; it is kept."""
    BankEntry.objects.filter(pk=entry.pk, payment=None).update(dismissed=True)


def _entry_book(*, entry: BankEntry, invoice: DuesInvoice, actor: User | None) -> Payment:
    payment = payment_register(
        invoice=invoice,
        amount=entry.amount,
        paid_on=entry.booked_on,
        method=PaymentMethod.BANKGIRO,
        reference=entry.bank_ref,
        actor=actor,
    )
    entry.payment = payment
    entry.save(update_fields=["payment"])
    return payment


def dues_export(
    *,
    actor: User,
    year: int,
    status: str,
    status_name: str,
    dialect: str,
    ip: str | None = None,
):
    """The kassör's dues list (selectors.export_rows), with the audit entry for taking member
    data out of the portal."""
    count = invoices_with_status(year=year, status=status).count()
    audit_log(
        actor=actor,
        action=Action.MEMBERS_EXPORTED,
        target=f"avgifter:{year}",
        detail={"year": year, "status": status_name, "format": dialect, "rows": count},
        ip=ip,
    )
    return export_rows(year=year, status=status)


# --- Unpaid dues: reminders, then a personal contact --------------------------------------


def reminder_step_take(*, invoice_id: int, step: int, today: datetime.date) -> bool:
    """Claim one step for one invoice; False when it was taken before or is no longer due.

    The row in DuesReminder is the claim: its unique constraint (invoice, step) lets only one
    of two concurrent runs insert it, and the loser's IntegrityError rolls back its work.
    """
    try:
        with transaction.atomic():
            invoice = (
                DuesInvoice.objects.select_related("member")
                .filter(pk=invoice_id, member__left_on__isnull=True)
                .annotate(paid=invoice_paid_total())
                .first()
            )
            if invoice is None or invoice.paid >= invoice.amount:
                return False
            reminder = DuesReminder.objects.create(invoice=invoice, step=step, created_on=today)
            if step == DuesReminder.Step.CONTACT:
                # The medlemsansvarig's task list (members) holds the personal contact.
                MemberTask.objects.get_or_create(
                    member=invoice.member,
                    kind=MemberTask.Kind.DUES_CONTACT,
                    year=invoice.year,
                    defaults={"due_on": today + datetime.timedelta(days=WELCOME_WITHIN_DAYS)},
                )
            else:
                dues_reminder_send(reminder=reminder)  # the engine sends it after the commit
    except IntegrityError:
        return False
    return True


def dues_reminders_run(*, today: datetime.date | None = None) -> dict[int, int]:
    """The daily job: take every step that is due. Safe to run twice or concurrently."""
    today = today or timezone.localdate()
    taken = {step: 0 for step in DuesReminder.Step.values}
    for invoice_id, step in reminder_steps_due(today=today):
        if reminder_step_take(invoice_id=invoice_id, step=step, today=today):
            taken[step] += 1
    return taken


def dues_reminder_send(*, reminder: DuesReminder) -> bool:
    """Hand a claimed reminder to the mail engine once; `sent_at` marks the hand-over, and the
    engine's key makes a second hand-over send nothing."""
    claimed = DuesReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    member = reminder.invoice.member
    if not claimed or not member.email:
        return False
    mail_send_start(
        kind=mail_kinds.DUES_REMINDER,
        key=f"dues-reminder:{reminder.pk}",
        recipients=[Recipient(member.email, member.pk, {"reminder_id": reminder.pk})],
    )
    return True


# --- Retention ----------------------------------------------------------------------------


@transaction.atomic
def payments_erase_expired(*, today: datetime.date) -> int:
    """Delete the dues of anonymised members once the bookkeeping years have passed (7 years
    after the end of the calendar year of the payment). Run by members' retention job."""
    last_kept_year = today.year - settings.KRETS_PAYMENT_RETENTION_YEARS - 1
    old = DuesInvoice.objects.filter(member__anonymised_on__isnull=False, year__lte=last_kept_year)
    BankEntry.objects.filter(payment__invoice__in=old).update(payment=None)
    Payment.objects.filter(invoice__in=old).delete()
    return old.delete()[0]


def member_dues_anonymise(*, member) -> None:
    """An anonymised member's bank entries lose the payer's name; the amount, date, reference
    (OCR) and the payment they booked stay for the bookkeeping years."""
    BankEntry.objects.filter(payment__invoice__member=member).update(payer="")
