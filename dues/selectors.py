"""Reads about dues: invoices with their derived status, the year's summary, the kassör's
export, the reminders that are due, a member's own invoices."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import Member

from .models import BankEntry, BankFile, DuesInvoice, DuesReminder, DuesStatus, Payment


def invoice_paid_total():
    """An annotation: what is paid on an invoice. The services that book and reverse payments
    keep `paid_amount` right in the same transaction (tests check it against the payments), so
    no query sums payments per invoice."""
    return F("paid_amount")


def status_case(today: datetime.date) -> Case:
    """The derived status as SQL, the same rule as models.dues_status."""
    return Case(
        When(paid__gte=F("amount"), then=Value(DuesStatus.PAID)),
        When(written_off_on__isnull=False, then=Value(DuesStatus.WRITTEN_OFF)),
        When(due_on__lt=today, then=Value(DuesStatus.OVERDUE)),
        When(paid__gt=0, then=Value(DuesStatus.PART_PAID)),
        default=Value(DuesStatus.UNPAID),
    )


def invoices_with_status(
    *, year: int, status: str = "", today: datetime.date | None = None
) -> QuerySet[DuesInvoice]:
    """A year's invoices with `paid` and `status`. The status filter: betald, obetald (not
    paid in full, part paid included), delbetald (part paid, not yet due), forfallen (not paid
    in full, past due)."""
    today = today or timezone.localdate()
    invoices = (
        DuesInvoice.objects.filter(year=year)
        .annotate(paid=invoice_paid_total())
        .annotate(status_value=status_case(today))
    )
    owing = Q(paid_amount__lt=F("amount"), written_off_on__isnull=True)
    if status == DuesStatus.PAID:
        invoices = invoices.filter(paid_amount__gte=F("amount"))
    elif status == DuesStatus.UNPAID:
        invoices = invoices.filter(owing)
    elif status == DuesStatus.PART_PAID:
        invoices = invoices.filter(owing, paid_amount__gt=0, due_on__gte=today)
    elif status == DuesStatus.OVERDUE:
        invoices = invoices.filter(owing, due_on__lt=today)
    elif status == DuesStatus.WRITTEN_OFF:
        invoices = invoices.filter(paid_amount__lt=F("amount"), written_off_on__isnull=False)
    return invoices


def dues_summary(*, year: int, today: datetime.date | None = None) -> dict:
    """Counts per status and sums for a year's dues, in two queries."""
    by_status = (
        invoices_with_status(year=year, today=today)
        .values("status_value")
        .annotate(n=Count("id"), due=Sum("amount"))
        .order_by()
    )
    totals = {f"n_{value}": 0 for value in DuesStatus.values}
    totals.update(count=0, due=Decimal("0"))
    for row in by_status:
        totals[f"n_{row['status_value']}"] = row["n"]
        totals["count"] += row["n"]
        totals["due"] += row["due"]
    totals["paid"] = Payment.objects.filter(invoice__year=year).aggregate(
        paid=Coalesce(Sum("amount"), Decimal("0"))
    )["paid"]
    return totals


def bank_queue() -> QuerySet[BankEntry]:
    """Credits from bank files that matched no OCR and wait for the kassör."""
    return BankEntry.objects.filter(payment=None, dismissed=False).order_by("booked_on", "id")


def export_rows(*, year: int, status: str, today: datetime.date | None = None):
    """The kassör's dues list as plain tuples, streamed from the database in chunks."""
    # The last payment that stands: a reversal and the payment it reverses are not "paid on".
    last_payment = Payment.objects.filter(
        invoice=OuterRef("pk"), reverses=None, reversal=None
    ).order_by("-paid_on", "-id")
    return (
        invoices_with_status(year=year, status=status, today=today)
        .annotate(
            paid_on=Subquery(last_payment.values("paid_on")[:1]),
            method=Subquery(last_payment.values("method")[:1]),
        )
        .order_by("member__last_name", "member__first_name", "id")
        .values_list(
            "member__first_name",
            "member__last_name",
            "member__member_number",
            "member__address",
            "member__postcode",
            "member__town",
            "member__email",
            "member__phone",
            "amount",
            "paid",
            "paid_on",
            "method",
            "ocr",
            "status_value",
            "fee__name",
            "household__payer__first_name",
            "household__payer__last_name",
        )
        .iterator(chunk_size=2000)
    )


# --- Unpaid dues --------------------------------------------------------------------------


def reminder_steps_due(
    *, today: datetime.date, year: int | None = None
) -> list[tuple[int, int, Decimal]]:
    """(invoice id, step, amount left) for every sent, unpaid invoice whose next step is due:
    one query.

    Only invoices that were sent (a member who never got an invoice gets no reminder), that
    are not written off, of the current dues year unless the kassör names an earlier `year`.
    Step 1 comes DUES_REMINDER_1_DAYS after the invoice's own due date; step 2
    DUES_REMINDER_2_DAYS after step 1; step 3 (a personal-contact task) as long after step 2.
    Members who left get nothing, nor do invoices paid in full.
    """
    first = datetime.timedelta(days=settings.KRETS_DUES_REMINDER_1_DAYS)
    later = datetime.timedelta(days=settings.KRETS_DUES_REMINDER_2_DAYS)
    steps = DuesReminder.objects.filter(invoice=OuterRef("pk")).order_by("-step")
    rows = (
        DuesInvoice.objects.filter(
            year=year or today.year,
            sent_at__isnull=False,
            written_off_on__isnull=True,
            due_on__lte=today - first,
            paid_amount__lt=F("amount"),
            member__left_on__isnull=True,
        )
        .annotate(
            last_step=Coalesce(Subquery(steps.values("step")[:1]), Value(0)),
            last_on=Subquery(steps.values("created_on")[:1]),
        )
        .filter(Q(last_step=0) | Q(last_step__in=[1, 2], last_on__lte=today - later))
        .values_list("pk", "last_step", "amount", "paid_amount")
    )
    return [(pk, last + 1, amount - paid) for pk, last, amount, paid in rows]


# --- One member's dues --------------------------------------------------------------------


def member_invoices(member: Member) -> list[DuesInvoice]:
    """A member's invoices, newest first, with payments, reminders, `paid` and the status."""
    # The households' ids first: an OR across the join to the household's members made
    # PostgreSQL read every invoice (65 ms at 100 000 members); two indexed columns do not.
    households = list(member.households.values_list("pk", flat=True))
    invoices = list(
        DuesInvoice.objects.filter(Q(member=member) | Q(household_id__in=households))
        .select_related("fee", "household")
        .prefetch_related("payments", "reminders")
        .annotate(paid=invoice_paid_total())
        .order_by("-year")
    )
    today = timezone.localdate()
    for invoice in invoices:
        invoice.status_value = invoice.status(paid=invoice.paid, today=today)
        invoice.status_label = DuesStatus(invoice.status_value).label
    return invoices


def member_dues_export(member: Member) -> list[dict]:
    """A member's dues as they appear in a register extract."""
    return [
        {
            "year": invoice.year,
            "amount": invoice.amount,
            "ocr": invoice.ocr,
            "due_on": invoice.due_on,
            "payments": [
                {"paid_on": p.paid_on, "amount": p.amount, "method": p.get_method_display()}
                for p in invoice.payments.all()
            ],
            "reminders": [
                {"step": r.get_step_display(), "on": r.created_on} for r in invoice.reminders.all()
            ],
        }
        for invoice in DuesInvoice.objects.filter(member=member)
        .prefetch_related("payments", "reminders")
        .order_by("year")
    ]


def self_service_dues(member: Member) -> list[DuesInvoice]:
    """A member's invoices with status, newest first; unpaid ones carry a Swish QR code."""
    from .swish import swish_payload, swish_qr_svg

    today = timezone.localdate()
    invoices = list(
        DuesInvoice.objects.filter(member=member)
        .annotate(paid=invoice_paid_total())
        .order_by("-year")
    )
    for invoice in invoices:
        invoice.status_value = invoice.status(paid=invoice.paid, today=today)
        invoice.status_label = DuesStatus(invoice.status_value).label
        invoice.swish_svg = ""
        if invoice.left_to_pay > 0:
            invoice.swish_svg = swish_qr_svg(
                swish_payload(
                    number=settings.KRETS_SWISH_NUMBER,
                    amount=invoice.left_to_pay,
                    message=invoice.ocr,
                )
            )
    return invoices


def members_by_dues(
    members: QuerySet[Member], *, year: int, status: str, today: datetime.date | None = None
) -> QuerySet[Member]:
    """The registry narrowed to a year's dues status; `saknas`: members without an invoice."""
    covering = DuesInvoice.objects.filter(year=year).filter(
        Q(member=OuterRef("pk")) | Q(household__members=OuterRef("pk"))
    )
    if status == "saknas":
        return members.exclude(Exists(covering))
    invoices = invoices_with_status(year=year, status=status, today=today)
    # A household member is paid (or not) with the household's one invoice.
    return members.filter(
        Exists(invoices.filter(Q(member=OuterRef("pk")) | Q(household__members=OuterRef("pk"))))
    )


def dues_statistics(*, year: int, today: datetime.date | None = None) -> dict:
    """The share of the year's invoices not paid in full, for the board's statistics."""
    dues = dues_summary(year=year, today=today)
    not_paid = dues["n_" + DuesStatus.UNPAID] + dues["n_" + DuesStatus.PART_PAID]
    not_paid += dues["n_" + DuesStatus.OVERDUE]
    return {
        "dues_count": dues["count"],
        "dues_not_paid": not_paid,
        "dues_share_not_paid": not_paid / dues["count"] if dues["count"] else None,
    }


def invoice_mail_state(invoice: DuesInvoice) -> dict | None:
    """What the mail engine did with an invoice's mail: its delivery state and time, or None
    when it was never handed over (not sent, or printed)."""
    from krets.mail.models import Delivery

    delivery = (
        Delivery.objects.filter(send__key=f"dues-invoice:{invoice.pk}")
        .only("state", "sent_at", "error")
        .first()
    )
    if delivery is None:
        return None
    return {
        "state": delivery.get_state_display(),
        "sent_at": delivery.sent_at,
        "error": delivery.error,
    }


def invoice_print_context(invoice: DuesInvoice) -> dict:
    """The paper avi: what the mail says, with the QR code drawn in."""
    from .mail_kinds import payment_context
    from .swish import swish_qr_svg

    context = payment_context(invoice)
    context["swish_svg"] = swish_qr_svg(context["swish_payload"])
    return context


BANK_FILES_PER_PAGE = 50
BANK_ENTRIES_PER_PAGE = 200


def bank_files_page(*, before: int | None = None) -> tuple[list[BankFile], int | None]:
    """Imported files, newest first, with counts and sums of what was booked and queued;
    keyset paged (`before`: the last id of the page before), so any page costs the same."""
    money = DecimalField(max_digits=14, decimal_places=2)
    files = BankFile.objects.select_related("uploaded_by").order_by("-id")
    if before:
        files = files.filter(id__lt=before)
    booked = Q(entries__payment__isnull=False)
    queued = Q(entries__payment__isnull=True, entries__dismissed=False)
    rows = list(
        files.annotate(
            n_booked=Count("entries", filter=booked),
            sum_booked=Coalesce(
                Sum("entries__amount", filter=booked), Value(0), output_field=money
            ),
            n_queued=Count("entries", filter=queued),
            sum_queued=Coalesce(
                Sum("entries__amount", filter=queued), Value(0), output_field=money
            ),
        )[: BANK_FILES_PER_PAGE + 1]
    )
    more = len(rows) > BANK_FILES_PER_PAGE
    rows = rows[:BANK_FILES_PER_PAGE]
    return rows, (rows[-1].pk if more else None)


def bank_file_entries(
    bank_file: BankFile, *, after: int | None = None
) -> tuple[list[BankEntry], int | None]:
    """One file's booked payments, keyset paged by entry id (22 000 credits stay light)."""
    entries = (
        BankEntry.objects.filter(file=bank_file, payment__isnull=False)
        .select_related("payment__invoice__member")
        .order_by("id")
    )
    if after:
        entries = entries.filter(id__gt=after)
    rows = list(entries[: BANK_ENTRIES_PER_PAGE + 1])
    more = len(rows) > BANK_ENTRIES_PER_PAGE
    rows = rows[:BANK_ENTRIES_PER_PAGE]
    return rows, (rows[-1].pk if more else None)


def invoices_search(invoices: QuerySet[DuesInvoice], query: str) -> QuerySet[DuesInvoice]:
    """Narrow invoices by a member's name, an OCR (spaces allowed) or a member number."""
    if not query:
        return invoices
    digits = "".join(ch for ch in query if ch.isdigit())
    if digits and len(digits) == len(query.replace(" ", "").replace("-", "")):
        return invoices.filter(Q(ocr=digits) | Q(member__member_number=int(digits[:9])))
    condition = Q()
    for word in query.split():
        condition &= Q(member__first_name__icontains=word) | Q(member__last_name__icontains=word)
    return invoices.filter(condition)
