"""Reads about dues: invoices with their derived status, the year's summary, the kassör's
export, the reminders that are due, a member's own invoices."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from members.models import Member

from .models import (
    BankEntry,
    BankFile,
    DuesInvoice,
    DuesStatus,
    Household,
    Payment,
)


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
    """Counts per status and sums for a year's dues, in one pass over the year's invoices
    (answered from the index dues_inv_year_figures alone). "paid" is what the payments add up
    to, kept on each invoice as `paid_amount` by the services that book and reverse them."""
    today = today or timezone.localdate()
    money = DecimalField(max_digits=14, decimal_places=2)
    owed = Q(paid_amount__lt=F("amount"))
    open_ = owed & Q(written_off_on__isnull=True)
    not_due = open_ & Q(due_on__gte=today)
    totals = DuesInvoice.objects.filter(year=year).aggregate(
        count=Count("id"),
        due=Coalesce(Sum("amount"), Value(0), output_field=money),
        paid=Coalesce(Sum("paid_amount"), Value(0), output_field=money),
        **{
            f"n_{DuesStatus.PAID}": Count("id", filter=~owed),
            f"n_{DuesStatus.WRITTEN_OFF}": Count(
                "id", filter=owed & Q(written_off_on__isnull=False)
            ),
            f"n_{DuesStatus.OVERDUE}": Count("id", filter=open_ & Q(due_on__lt=today)),
            f"n_{DuesStatus.PART_PAID}": Count("id", filter=not_due & Q(paid_amount__gt=0)),
            f"n_{DuesStatus.UNPAID}": Count("id", filter=not_due & Q(paid_amount__lte=0)),
        },
    )
    return totals


# --- The dues list, keyset paged ----------------------------------------------------------

DUES_PER_PAGE = 50


def dues_list_order(*, descending: bool = False) -> tuple[str, ...]:
    """The dues list's order: the member's name, then the member. A member has one invoice a
    year, so the member's id breaks every tie, and the order is the one of the registry's index
    (last_name, first_name, id), which PostgreSQL walks instead of sorting a whole year."""
    keys = ("member__last_name", "member__first_name", "member_id")
    return tuple("-" + key for key in keys) if descending else keys


class _MemberAfter(Func):
    """`(m.last_name, m.first_name, m.id) > (SELECT last_name, first_name, id … WHERE id = %s)`
    on the invoice's member (`<` for "before"): one row comparison, which PostgreSQL answers by
    a range scan of the member index on (last_name, first_name, id) (the subquery becomes an
    InitPlan run once), and SQLite understands too. The member's own id is compared, not the
    invoice's member_id (the same value, but no index holds it beside the names); expanded into
    `a > x OR (a = x AND b > y) …` no database uses the index."""

    output_field = BooleanField()

    def __init__(self, op: str, member: int):
        position = (
            Member.objects.filter(pk=member).order_by().values("last_name", "first_name", "id")
        )
        super().__init__(F("member__last_name"), F("member__first_name"), Subquery(position))
        self.op = op

    def as_sql(self, compiler, connection, **extra_context):
        last_name, first_name, position = self.get_source_expressions()
        member_id = Col(last_name.alias, Member._meta.pk)
        parts, params = [], []
        for column in (last_name, first_name, member_id, position):
            sql, column_params = compiler.compile(column)
            parts.append(sql)
            params.extend(column_params)
        return f"({', '.join(parts[:3])}) {self.op} {parts[3]}", params


@dataclass
class KeysetPage:
    """One page of a keyset-paged list: the rows and the cursors of the pages around it (the
    member id to go on after, or to go back before); None where there is no such page."""

    rows: list
    after: int | None = None
    before: int | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.after is not None or self.before is not None


def dues_list_page(
    invoices: QuerySet[DuesInvoice],
    *,
    after: int | None = None,
    before: int | None = None,
    per_page: int | None = None,
) -> KeysetPage:
    """A page of the dues list in `dues_list_order`: the first page, the one after member
    `after`, or the one before member `before`. Any page costs one query of `per_page + 1`
    rows, where OFFSET paging read and threw away every row before a deep page."""
    per_page = per_page or DUES_PER_PAGE
    columns = dues_list_order()
    if before is not None:
        rows = list(
            invoices.filter(_MemberAfter("<", before)).order_by(*dues_list_order(descending=True))[
                : per_page + 1
            ]
        )
        more = len(rows) > per_page
        rows = rows[:per_page][::-1]
        return KeysetPage(
            rows,
            after=rows[-1].member_id if rows else None,
            before=rows[0].member_id if more else None,
        )
    if after is not None:
        invoices = invoices.filter(_MemberAfter(">", after))
    rows = list(invoices.order_by(*columns)[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return KeysetPage(
        rows,
        after=rows[-1].member_id if more else None,
        before=rows[0].member_id if rows and after is not None else None,
    )


def paid_by_month(*, year: int) -> dict[int, Decimal]:
    """What came in on a year's dues, month by month (1–12), in one query. A payment made before
    the year counts in January and one made after it in December, so the months add up to the
    year's paid total."""
    rows = (
        Payment.objects.filter(invoice__year=year)
        .annotate(month=TruncMonth("paid_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    paid = dict.fromkeys(range(1, 13), Decimal("0"))
    for row in rows:
        month = row["month"]
        key = 1 if month.year < year else 12 if month.year > year else month.month
        paid[key] += row["total"]
    return paid


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
        .order_by(*dues_list_order())
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
    Step 1 comes DUES_REMINDER_1_DAYS after the invoice's own due date, and never sooner
    after the invoice was sent (an avi sent in November for a March due date is not chased the
    next morning); step 2
    DUES_REMINDER_2_DAYS after step 1; step 3 (a personal-contact task) as long after step 2.
    Members who left get nothing, nor do invoices paid in full.
    """
    first = datetime.timedelta(days=settings.KRETS_DUES_REMINDER_1_DAYS)
    later = datetime.timedelta(days=settings.KRETS_DUES_REMINDER_2_DAYS)
    # The owed invoices come from the partial index dues_inv_owed_by_due; each one's last step
    # from one pass over its reminders (grouped, never a subquery per invoice: the steps are
    # taken in order, so the highest step is also the latest date).
    sent_before = timezone.make_aware(
        datetime.datetime.combine(today - first + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = (
        DuesInvoice.objects.filter(
            year=year or today.year,
            sent_at__lt=sent_before,
            written_off_on__isnull=True,
            due_on__lte=today - first,
            paid_amount__lt=F("amount"),
        )
        # Those who left are a few in a hundred: a short list to leave out (from the index on
        # left_on), where joining every member read the whole registry.
        .exclude(member_id__in=Member.objects.filter(left_on__isnull=False).values("id"))
        .annotate(
            last_step=Coalesce(Max("reminders__step"), Value(0)),
            last_on=Max("reminders__created_on"),
        )
        .filter(Q(last_step=0) | Q(last_step__in=[1, 2], last_on__lte=today - later))
        .order_by()  # the model's order (by the member's name) would join every member
        .values_list("pk", "last_step", F("amount") - F("paid_amount"))
    )
    return [(pk, last + 1, left) for pk, last, left in rows]


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


def _covered_members(invoices: QuerySet[DuesInvoice]) -> Q:
    """Members an invoice of `invoices` covers: its own member, and a household's members.

    Two uncorrelated `IN` lists, which PostgreSQL hashes once; the correlated `EXISTS (… WHERE
    member = m.id OR household member = m.id)` this replaces was run for every member."""
    household_members = Household.members.through.objects.filter(
        household_id__in=invoices.filter(household__isnull=False).values("household_id")
    ).values("member_id")
    return Q(pk__in=invoices.values("member_id")) | Q(pk__in=household_members)


def members_by_dues(
    members: QuerySet[Member], *, year: int, status: str, today: datetime.date | None = None
) -> QuerySet[Member]:
    """The registry narrowed to a year's dues status; `saknas`: members without an invoice.
    A household member is paid (or not) with the household's one invoice."""
    if status == "saknas":
        return members.exclude(_covered_members(DuesInvoice.objects.filter(year=year)))
    invoices = invoices_with_status(year=year, status=status, today=today)
    return members.filter(_covered_members(invoices))


def dues_statistics(*, year: int, today: datetime.date | None = None) -> dict:
    """How many people the year's dues cover and how many of them have not paid (not paid in
    full and not written off), for the board's statistics.

    People, not invoices: a household's one family invoice covers its payer and each of its
    members. A person covered twice (their own invoice and a household's) counts once, as not
    paid if either invoice is owed: the registry's "obetald" filter finds the same people."""
    invoice = DuesInvoice._meta.db_table
    household_members = Household.members.through._meta.db_table

    def owed(alias: str) -> str:
        return f"({alias}.paid_amount < {alias}.amount AND {alias}.written_off_on IS NULL)"

    # Everyone with an invoice of their own (one each a year), counted from the year's figures
    # index; then the households' members (a few thousand rows), each once, who add a person
    # when they have no invoice of their own and a person not paid when a household invoice
    # is owed and their own (if any) is not. Grouping every person of 100 000 took 6x longer.
    sql = f"""
        WITH own AS (
            SELECT COUNT(*) AS n, SUM(CASE WHEN {owed("i")} THEN 1 ELSE 0 END) AS owing
            FROM {invoice} i WHERE i.year = %s
        ), housed AS (
            SELECT h.member_id AS person, MAX(CASE WHEN {owed("i")} THEN 1 ELSE 0 END) AS owing
            FROM {invoice} i JOIN {household_members} h ON h.household_id = i.household_id
            WHERE i.year = %s AND i.household_id IS NOT NULL
            GROUP BY h.member_id
        ), extra AS (
            SELECT SUM(CASE WHEN o.id IS NULL THEN 1 ELSE 0 END) AS n,
                   SUM(CASE WHEN housed.owing = 1 AND (o.id IS NULL OR NOT {owed("o")})
                       THEN 1 ELSE 0 END) AS owing
            FROM housed LEFT JOIN {invoice} o ON o.member_id = housed.person AND o.year = %s
        )
        SELECT own.n + COALESCE(extra.n, 0), COALESCE(own.owing, 0) + COALESCE(extra.owing, 0)
        FROM own, extra"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [year, year, year])
        count, not_paid = cursor.fetchone()
    return {
        "dues_count": count,
        "dues_not_paid": int(not_paid),
        "dues_share_not_paid": not_paid / count if count else None,
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
