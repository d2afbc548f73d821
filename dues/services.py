"""Writes about dues: fees, invoices, payments, bank files, and the reminders that chase
unpaid dues.

Services that act for a person take the acting user (`actor`) and the client's address
(`ip`); none takes a request. A write the rules refuse raises krets.errors.Invalid."""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from krets.errors import Invalid
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.models import Member, MemberTask, User
from members.services import WELCOME_WITHIN_DAYS, member_numbers_assign

from . import mail_kinds
from .camt import BankFileError, read_bank_file
from .models import (
    BankEntry,
    BankFile,
    CreditNote,
    DuesInvoice,
    DuesReminder,
    Fee,
    FeeCategory,
    Household,
    MemberCategory,
    Payment,
    PaymentMethod,
)
from .ocr import dues_ocr
from .selectors import export_rows, invoices_with_status, reminder_steps_due

# --- Fees and invoices --------------------------------------------------------------------


def _log(actor, code: str, target: str, ip: str | None = None, **detail) -> None:
    """One audit entry for a dues write: a code and ids, never a person's text."""
    audit_log(
        actor=actor,
        action=Action.DUES_CHANGED,
        target=target,
        detail={"code": code, **{k: str(v) for k, v in detail.items()}},
        actor_label="" if actor is not None else "jobb",
        ip=ip,
    )


def fee_create(*, actor: User, data: dict, ip: str | None = None) -> Fee:
    """Add a line to a year's fee schedule (the kassör's form, already validated)."""
    fee = Fee.objects.create(**data)
    _log(actor, "fee_created", f"avgift:{fee.pk}", ip, year=fee.year, amount=fee.amount)
    return fee


@transaction.atomic
def fee_update(*, actor: User, fee: Fee, data: dict, ip: str | None = None) -> Fee:
    """Change a fee's name, amount or due date, only while none of its invoices is sent: after
    that the invoice is what the member was told, and a change goes through a credit note."""
    fee = Fee.objects.select_for_update().get(pk=fee.pk)
    if fee_is_locked(fee):
        raise Invalid(
            _("Avier med den här avgiften är redan skickade: rätta med en kreditering på avin.")
        )
    old_amount, old_due_on = fee.amount, fee.due_on
    for name, value in data.items():
        setattr(fee, name, value)
    fee.save()
    # The unsent invoices follow by the difference, so a credit note on one stays; a late
    # joiner's own due date (invoice_due_on) stays too.
    fee.invoices.update(amount=F("amount") + (fee.amount - old_amount))
    fee.invoices.filter(due_on=old_due_on).update(due_on=fee.due_on)
    _log(actor, "fee_changed", f"avgift:{fee.pk}", ip, year=fee.year, amount=fee.amount)
    return fee


def fee_is_locked(fee: Fee) -> bool:
    """A fee is the kassör's to edit until one of its invoices is sent."""
    return fee.invoices.filter(sent_at__isnull=False).exists()


def invoice_due_on(
    *, member: Member, fee: Fee, today: datetime.date | None = None
) -> datetime.date:
    """The year's due date; a member who joined after it gets their own, DUES_NEW_MEMBER_DAYS
    after the invoice is issued."""
    if member.joined_on is None or member.joined_on <= fee.due_on:
        return fee.due_on
    today = today or timezone.localdate()
    return max(fee.due_on, today + datetime.timedelta(days=settings.DUES_NEW_MEMBER_DAYS))


def invoice_create(
    *, member: Member, fee: Fee, actor: User | None = None, today: datetime.date | None = None
) -> DuesInvoice:
    if not member.member_number:
        member_numbers_assign()
        member.refresh_from_db(fields=["member_number"])
    invoice, created = DuesInvoice.objects.get_or_create(
        member=member,
        year=fee.year,
        defaults={
            "fee": fee,
            "amount": fee.amount,
            "due_on": invoice_due_on(member=member, fee=fee, today=today),
            "ocr": dues_ocr(year=fee.year, member_number=member.member_number),
        },
    )
    if created:
        _log(actor, "invoice_created", f"avi:{invoice.pk}", amount=invoice.amount)
    return invoice


def invoice_send(*, actor: User | None, invoice: DuesInvoice, ip: str | None = None) -> bool:
    """Send a member their invoice (avi) through the mail engine, once.

    The conditional update of `sent_at` is the claim: a second call, or a concurrent one,
    sends nothing. A member without an email address is not mailed; the kassör prints the PDF
    avi for them (invoice_mark_printed). Returns True when this call handed the invoice over.
    Open doors ("Bli medlem") calls this for a new member's first invoice.
    """
    member = invoice.member
    if not member.email:
        return False
    with transaction.atomic():
        claimed = DuesInvoice.objects.filter(pk=invoice.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if not claimed:
            return False
        mail_send_start(
            kind=mail_kinds.DUES_INVOICE,
            key=f"dues-invoice:{invoice.pk}",
            recipients=[Recipient(member.email, member.pk, {"invoice_id": invoice.pk})],
        )
        _log(actor, "invoice_sent", f"avi:{invoice.pk}", ip, year=invoice.year)
    return True


def invoice_mark_printed(*, actor: User, invoice: DuesInvoice, ip: str | None = None) -> bool:
    """The kassör printed the PDF avi for a member without email: it counts as sent."""
    claimed = DuesInvoice.objects.filter(pk=invoice.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if claimed:
        _log(actor, "invoice_printed", f"avi:{invoice.pk}", ip, year=invoice.year)
    return bool(claimed)


def invoices_send_for_year(*, actor: User, year: int, ip: str | None = None) -> int:
    """Send every unsent invoice of the year to members with an email address."""
    sent = 0
    invoices = DuesInvoice.objects.filter(
        year=year, sent_at__isnull=True, member__left_on__isnull=True
    ).select_related("member")
    for invoice in invoices.exclude(member__email="").iterator(chunk_size=500):
        sent += invoice_send(actor=actor, invoice=invoice, ip=ip)
    return sent


@transaction.atomic
def invoice_credit(
    *, actor: User, invoice: DuesInvoice, amount: Decimal, reason: str, ip: str | None = None
) -> CreditNote:
    """Lower a sent invoice by a credit note (kreditering) with a reason; never below zero."""
    invoice = DuesInvoice.objects.select_for_update().get(pk=invoice.pk)
    if not reason.strip():
        raise Invalid(_("Ange varför avin krediteras."))
    if amount <= 0 or amount > invoice.amount:
        raise Invalid(_("Krediteringen är ett positivt belopp, högst avins belopp."))
    note = CreditNote.objects.create(
        invoice=invoice, amount=amount, reason=reason.strip()[:200], created_by=actor
    )
    DuesInvoice.objects.filter(pk=invoice.pk).update(amount=F("amount") - amount)
    _log(actor, "invoice_credited", f"avi:{invoice.pk}", ip, note=note.pk, amount=amount)
    return note


def member_category_set(
    *, actor: User, member: Member, category: str, ip: str | None = None
) -> None:
    if category not in FeeCategory.values:
        raise Invalid(_("Okänd avgiftskategori."))
    MemberCategory.objects.update_or_create(member=member, defaults={"category": category})
    _log(actor, "category_set", f"medlem:{member.pk}", ip, category=category)


def _lock_members(members: set[Member]) -> None:
    # Two kassörer saving households at once cannot put one member in both: the second waits
    # here, then its check sees the first one's household.
    list(Member.objects.select_for_update().filter(pk__in=[m.pk for m in members]).values("pk"))


def _household_check(*, payer: Member, members: set[Member], household: Household | None) -> None:
    """A member belongs to at most one household, and only current members pay a fee."""
    if payer.left_on is not None:
        raise Invalid(_("Betalaren har gått ur föreningen."))
    taken = Member.objects.filter(pk__in=[m.pk for m in members], households__isnull=False)
    if household is not None:
        taken = taken.exclude(households=household)
    names = sorted({m.full_name for m in taken})
    if names:
        raise Invalid(
            _("Redan med i ett annat hushåll: %(names)s. En medlem kan bara höra till ett hushåll.")
            % {"names": ", ".join(names)}
        )


@transaction.atomic
def household_create(
    *, actor: User, name: str, payer: Member, members: list[Member], ip: str | None = None
) -> Household:
    """A household paying one family fee; the payer is one of its members."""
    everyone = {payer, *members}
    _lock_members(everyone)
    _household_check(payer=payer, members=everyone, household=None)
    household = Household.objects.create(name=name[:100], payer=payer)
    household.members.set(everyone)
    _log(actor, "household_created", f"hushall:{household.pk}", ip, members=len(everyone))
    return household


@transaction.atomic
def household_update(
    *,
    actor: User,
    household: Household,
    name: str,
    payer: Member,
    members: list[Member],
    ip: str | None = None,
) -> Household:
    """Change a household's name, payer or members. Invoices already made keep their payer;
    the members it has now count as paid or unpaid with its invoice."""
    everyone = {payer, *members}
    _lock_members(everyone)
    _household_check(payer=payer, members=everyone, household=household)
    household.name = name[:100]
    household.payer = payer
    household.save(update_fields=["name", "payer"])
    household.members.set(everyone)
    _log(actor, "household_changed", f"hushall:{household.pk}", ip, members=len(everyone))
    return household


def _fee_of(year: int, category: str) -> Fee | None:
    return Fee.objects.filter(year=year, category=category).order_by("-is_default", "id").first()


@transaction.atomic
def invoices_create_by_category(*, actor: User | None, year: int, ip: str | None = None) -> int:
    """The year's invoices from the fee schedule: each household's payer gets one family fee
    covering every member of it; everyone else the fee of their category (ordinary unless
    set). Members who already have an invoice for the year, or whose household has one, are
    skipped: running it twice creates nothing twice."""
    member_numbers_assign()
    ordinary = _fee_of(year, FeeCategory.ORDINARY)
    family = _fee_of(year, FeeCategory.FAMILY)
    fees = {c: _fee_of(year, c) or ordinary for c in FeeCategory.values}
    current = Member.objects.filter(left_on__isnull=True, joined_on__year__lte=year)
    covered = set(
        DuesInvoice.objects.filter(year=year, household__isnull=False).values_list(
            "household__members", flat=True
        )
    )
    # A payer already invoiced on their own for the year (invoiced before the household was
    # made) cannot also get the family fee; nor can a payer who left. Their households' other
    # members are then invoiced on their own instead of being left without an invoice.
    invoiced = set(DuesInvoice.objects.filter(year=year).values_list("member_id", flat=True))
    today = timezone.localdate()
    invoices = []
    in_households = set()
    if family is not None:
        for household in Household.objects.prefetch_related("members").select_related("payer"):
            ids = {m.pk for m in household.members.all()}
            if ids & covered:
                in_households |= ids
                continue
            if household.payer.left_on is not None or household.payer_id in invoiced:
                continue
            in_households |= ids
            invoices.append(
                DuesInvoice(
                    member=household.payer,
                    year=year,
                    fee=family,
                    household=household,
                    amount=family.amount,
                    due_on=invoice_due_on(member=household.payer, fee=family, today=today),
                    ocr=dues_ocr(year=year, member_number=household.payer.member_number),
                )
            )
    categories = dict(MemberCategory.objects.values_list("member", "category"))
    members = current.exclude(invoices__year=year).only("id", "member_number", "joined_on")
    for member in members.iterator():
        if member.pk in in_households or member.pk in covered:
            continue
        fee = fees[categories.get(member.pk, FeeCategory.ORDINARY)]
        if fee is None or fee.category == FeeCategory.FAMILY:
            fee = ordinary
        if fee is None:
            continue
        invoices.append(
            DuesInvoice(
                member=member,
                year=year,
                fee=fee,
                amount=fee.amount,
                # A member who joined after the year's due date gets their own: invoiced today
                # with a due date in the past, the next day's job would send "Påminnelse".
                due_on=invoice_due_on(member=member, fee=fee, today=today),
                ocr=dues_ocr(year=year, member_number=member.member_number),
            )
        )
    made = DuesInvoice.objects.bulk_create(invoices, batch_size=2000, ignore_conflicts=True)
    _log(actor, "invoices_created", f"ar:{year}", ip, year=year, count=len(made))
    return len(made)


# --- Payments -----------------------------------------------------------------------------


def _payment_check(*, amount: Decimal, paid_on: datetime.date) -> None:
    if amount <= 0:
        raise Invalid(_("En betalning är ett positivt belopp."))
    if paid_on > timezone.localdate():
        raise Invalid(_("Betaldagen kan inte ligga i framtiden."))


def payment_register(
    *,
    invoice: DuesInvoice,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
    actor: User | None = None,
    ip: str | None = None,
    audit: bool = True,
) -> Payment:
    """Money received against an invoice; `actor` is who registered it (None: a job).

    The invoice's `paid_amount` moves in the same transaction. A bank import logs the file,
    not each payment (`audit=False`)."""
    _payment_check(amount=amount, paid_on=paid_on)
    with transaction.atomic():
        payment = Payment.objects.create(
            invoice=invoice,
            amount=amount,
            paid_on=paid_on,
            method=method,
            reference=reference,
            registered_by=actor,
        )
        DuesInvoice.objects.filter(pk=invoice.pk).update(paid_amount=F("paid_amount") + amount)
        if audit:
            _log(
                actor,
                "payment_registered",
                f"avi:{invoice.pk}",
                ip,
                payment=payment.pk,
                amount=amount,
            )
    return payment


def payment_reverse(
    *,
    payment: Payment,
    reason: str,
    reversed_on: datetime.date,
    reference: str = "",
    actor: User | None = None,
    ip: str | None = None,
) -> Payment:
    """Undo a payment by a counter-entry of the opposite amount with a reason; the payment
    itself stays (corrections, never deletions)."""
    if not reason.strip():
        raise Invalid(_("Ange varför betalningen återförs."))
    if reversed_on > timezone.localdate():
        raise Invalid(_("Datumet kan inte ligga i framtiden."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.reverses_id is not None or Payment.objects.filter(reverses=payment).exists():
            raise Invalid(_("Betalningen är redan återförd, eller är själv en återföring."))
        DuesInvoice.objects.filter(pk=payment.invoice_id).update(
            paid_amount=F("paid_amount") - payment.amount
        )
        _log(
            actor,
            "payment_reversed",
            f"avi:{payment.invoice_id}",
            ip,
            payment=payment.pk,
            amount=payment.amount,
        )
        return Payment.objects.create(
            invoice_id=payment.invoice_id,
            amount=-payment.amount,
            paid_on=reversed_on,
            method=payment.method,
            reference=reference,
            reverses=payment,
            reason=reason[:200],
            registered_by=actor,
        )


@dataclass
class BankImportResult:
    kind: str
    booked: int = 0
    queued: int = 0
    already: int = 0
    reversed: int = 0
    # Entries the file holds but that are not booked (another currency, 0 kr, absurd), each a
    # Swedish sentence naming the entry.
    refused: list[str] = field(default_factory=list)


def _ocr_candidates(reference: str) -> list[str]:
    """What an OCR in a reference may be: all its digits (`2023 0020 0625`), else each group of
    digits in a message (`Avgift 2023, OCR 202300200625`)."""
    groups = [re.sub(r"[ -]", "", g) for g in re.findall(r"[0-9][0-9 -]*[0-9]", reference)]
    return ["".join(ch for ch in reference if ch.isdigit()), *groups]


def bank_file_import(
    *, actor: User | None, name: str, content: bytes, ip: str | None = None
) -> BankImportResult:
    """Book each payment at its own amount when its reference is an OCR of ours; queue the rest
    for matching by hand; reverse the payment a return sends back.

    A transaction the bank has sent before (same bank reference) is skipped, so importing the
    same file twice books nothing twice. A file that cannot be read, or whose batches do not add
    up, books nothing (BankFileError); the file is booked in one database transaction.
    """
    statement = read_bank_file(content)
    credits = statement.credits
    today = timezone.localdate()
    future = next((c for c in credits if c.booked_on > today), None)
    if future is not None:
        # A payment is never dated in the future (payment_register refuses it): a file that
        # books one is pre-dated or someone else's, and is refused whole, as a batch that does
        # not add up is.
        raise BankFileError(
            _(
                "Filen har en betalning bokförd %(date)s, ett datum i framtiden (bankens "
                "referens %(ref)s)."
            )
            % {"date": future.booked_on.isoformat(), "ref": future.bank_ref}
        )
    result = BankImportResult(kind=statement.kind, refused=statement.refused)
    with transaction.atomic():
        bank_file = BankFile.objects.create(
            name=name[:200],
            kind=statement.kind,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=actor,
        )
        known = set(
            BankEntry.objects.filter(bank_ref__in=[c.bank_ref for c in credits]).values_list(
                "bank_ref", flat=True
            )
        )
        invoices = {
            inv.ocr: inv
            for inv in DuesInvoice.objects.filter(
                ocr__in={ocr for c in credits for ocr in _ocr_candidates(c.reference)}
            )
        }
        # Bookings are written in bulk (a deposit of 10 000 payments is a handful of queries,
        # not six per payment); a return is handled on its own after what came before it in
        # the file is written, since it may send back a payment booked earlier in the file.
        bookings = _Bookings(bank_file=bank_file)
        for credit in credits:
            if credit.bank_ref in known:
                result.already += 1
                continue
            known.add(credit.bank_ref)
            entry = BankEntry(
                file=bank_file,
                bank_ref=credit.bank_ref,
                booked_on=credit.booked_on,
                amount=-credit.amount if credit.is_return else credit.amount,
                reference=credit.reference,
                payer=credit.payer,
            )
            invoice = next(
                (invoices[o] for o in _ocr_candidates(credit.reference) if o in invoices), None
            )
            if credit.is_return:
                bookings.write()
                entry.save()
                payment = _returned_payment(entry=entry, invoice=invoice)
                if payment is not None:
                    _entry_reverse(
                        entry=entry,
                        payment=payment,
                        reason=credit.return_reason,
                        actor=bank_file.uploaded_by,
                    )
                    result.reversed += 1
                else:
                    result.queued += 1
            elif invoice is not None:
                bookings.book(entry, invoice)
                result.booked += 1
            else:
                bookings.queue(entry)
                result.queued += 1
        bookings.write()
        BankFile.objects.filter(pk=bank_file.pk).update(
            already=result.already, refused=list(result.refused)
        )
        _log(
            actor,
            "bank_file_imported",
            f"bankfil:{bank_file.pk}",
            ip,
            kind=result.kind,
            booked=result.booked,
            queued=result.queued,
            already=result.already,
            reversed=result.reversed,
            refused=len(result.refused),
        )
    return result


class _Bookings:
    """A bank file's credits waiting to be written: payments booked with their entries, and
    entries queued for matching by hand. `write()` writes them in a few queries: the payments,
    the entries, and one update of `paid_amount` per distinct sum added (a deposit of member
    fees has a handful), the same rows and sums `_entry_book` writes one credit at a time."""

    def __init__(self, *, bank_file: BankFile):
        self.bank_file = bank_file
        self.booked: list[tuple[BankEntry, DuesInvoice]] = []
        self.entries: list[BankEntry] = []  # in the file's order, booked or queued

    def book(self, entry: BankEntry, invoice: DuesInvoice) -> None:
        _payment_check(amount=entry.amount, paid_on=entry.booked_on)
        self.booked.append((entry, invoice))
        self.entries.append(entry)

    def queue(self, entry: BankEntry) -> None:
        self.entries.append(entry)

    def write(self) -> None:
        if self.booked:
            payments = Payment.objects.bulk_create(
                Payment(
                    invoice=invoice,
                    amount=entry.amount,
                    paid_on=entry.booked_on,
                    method=PaymentMethod.BANKGIRO,
                    reference=entry.bank_ref,
                    registered_by=self.bank_file.uploaded_by,
                )
                for entry, invoice in self.booked
            )
            added: dict[int, Decimal] = {}
            for (entry, invoice), payment in zip(self.booked, payments, strict=True):
                entry.payment = payment
                added[invoice.pk] = added.get(invoice.pk, Decimal("0")) + payment.amount
            by_sum: dict[Decimal, list[int]] = {}
            for invoice_id, amount in added.items():
                by_sum.setdefault(amount, []).append(invoice_id)
            for amount, invoice_ids in by_sum.items():
                DuesInvoice.objects.filter(pk__in=invoice_ids).update(
                    paid_amount=F("paid_amount") + amount
                )
        if self.entries:
            BankEntry.objects.bulk_create(self.entries, batch_size=2000)
        self.booked, self.entries = [], []


def _returned_payment(*, entry: BankEntry, invoice: DuesInvoice | None) -> Payment | None:
    """The payment a return sends back: same OCR (or the original bank reference) and amount,
    not yet reversed, the latest paid on or before the return."""
    payments = Payment.objects.filter(
        amount=-entry.amount,
        reverses=None,
        reversal=None,
        paid_on__lte=entry.booked_on,
    )
    if invoice is not None:
        payments = payments.filter(invoice=invoice)
    elif entry.reference:
        payments = payments.filter(reference=entry.reference)
    else:
        return None
    return payments.order_by("-paid_on", "-id").first()


@transaction.atomic
def bank_entry_match(
    *, actor: User, entry: BankEntry, invoice: DuesInvoice, ip: str | None = None
) -> Payment:
    """Book a queued bank credit against an invoice chosen by hand (a queued return reverses
    that invoice's payment of the same amount)."""
    entry = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.payment_id is not None:
        raise Invalid(_("Posten är redan bokförd."))
    if entry.amount < 0:
        payment = _returned_payment(entry=entry, invoice=invoice)
        if payment is None:
            raise Invalid(_("Avin har ingen betalning på det beloppet som kan återföras."))
        booked = _entry_reverse(entry=entry, payment=payment, reason="", actor=actor)
    else:
        booked = _entry_book(entry=entry, invoice=invoice, actor=actor)
    # A file's own bookings are audited with the file; one matched by hand is a person's
    # choice of invoice, so it has its own entry.
    _log(
        actor,
        "bank_entry_matched",
        f"avi:{invoice.pk}",
        ip,
        entry=entry.pk,
        payment=booked.pk,
        amount=entry.amount,
    )
    return booked


def _entry_reverse(
    *, entry: BankEntry, payment: Payment, reason: str, actor: User | None
) -> Payment:
    counter = payment_reverse(
        payment=payment,
        reason=_("Återförd av banken (%(code)s)") % {"code": reason}
        if reason
        else _("Återförd av banken"),
        reversed_on=entry.booked_on,
        reference=entry.bank_ref,
        actor=actor,
    )
    entry.payment = counter
    entry.save(update_fields=["payment"])
    return counter


@transaction.atomic
def invoice_write_off(
    *,
    actor: User,
    invoice: DuesInvoice,
    reason: str,
    today: datetime.date | None = None,
    ip: str | None = None,
) -> DuesInvoice:
    """Give up what is left of a debt, with a reason. Nothing is deleted: the invoice and its
    payments stay, the status becomes "Avskriven" and reminders stop."""
    invoice = DuesInvoice.objects.select_for_update().get(pk=invoice.pk)
    if not reason.strip():
        raise Invalid(_("Ange varför skulden skrivs av."))
    if invoice.written_off_on is not None:
        raise Invalid(_("Avin är redan avskriven."))
    if invoice.paid_amount >= invoice.amount:
        raise Invalid(_("Avin är betald; det finns inget att skriva av."))
    invoice.written_off_on = today or timezone.localdate()
    invoice.write_off_reason = reason.strip()[:200]
    invoice.save(update_fields=["written_off_on", "write_off_reason"])
    _log(
        actor,
        "invoice_written_off",
        f"avi:{invoice.pk}",
        ip,
        amount=invoice.amount - invoice.paid_amount,
    )
    return invoice


@transaction.atomic
def invoice_overpayment_settle(
    *, actor: User, invoice: DuesInvoice, how: str, ip: str | None = None
) -> DuesInvoice:
    """Record what became of an overpayment: refunded to the payer, or kept as a gift."""
    invoice = DuesInvoice.objects.select_for_update().get(pk=invoice.pk)
    if how not in ("aterbetald", "gava"):
        raise Invalid(_("Välj återbetald eller gåva."))
    if invoice.paid_amount <= invoice.amount:
        raise Invalid(_("Avin är inte överbetald."))
    if invoice.overpayment_settled:
        raise Invalid(_("Överbetalningen är redan hanterad."))
    invoice.overpayment_settled = how
    invoice.save(update_fields=["overpayment_settled"])
    _log(
        actor,
        f"overpayment_{how}",
        f"avi:{invoice.pk}",
        ip,
        amount=invoice.paid_amount - invoice.amount,
    )
    return invoice


def bank_entry_dismiss(*, actor: User, entry: BankEntry, ip: str | None = None) -> None:
    """Take a credit that is not dues (a gift, a refund) off the matching queue; it is kept."""
    if BankEntry.objects.filter(pk=entry.pk, payment=None, dismissed=False).update(dismissed=True):
        _log(actor, "bank_entry_dismissed", f"bankpost:{entry.pk}", ip, amount=entry.amount)


def _entry_book(*, entry: BankEntry, invoice: DuesInvoice, actor: User | None) -> Payment:
    payment = payment_register(
        invoice=invoice,
        amount=entry.amount,
        paid_on=entry.booked_on,
        method=PaymentMethod.BANKGIRO,
        reference=entry.bank_ref,
        actor=actor,
        audit=False,
    )
    entry.payment = payment
    entry.save(update_fields=["payment"])
    return payment


def dues_export(*, year: int, status: str):
    """The kassör's dues list (selectors.export_rows) and how many rows it has: the view's
    read is logged by krets.reads (`@reads_personal_data`), like every other read."""
    count = invoices_with_status(year=year, status=status).count()
    return count, export_rows(year=year, status=status)


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
                .filter(
                    pk=invoice_id,
                    member__left_on__isnull=True,
                    sent_at__isnull=False,
                    written_off_on__isnull=True,
                )
                .first()
            )
            if invoice is None or invoice.paid_amount >= invoice.amount:
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


def dues_reminders_run(
    *, today: datetime.date | None = None, year: int | None = None
) -> dict[int, int]:
    """The daily job: take every step that is due for the current dues year (or `year`, when
    the kassör chooses an earlier one). Safe to run twice or concurrently."""
    today = today or timezone.localdate()
    taken = {step: 0 for step in DuesReminder.Step.values}
    for invoice_id, step, _left in reminder_steps_due(today=today, year=year):
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
