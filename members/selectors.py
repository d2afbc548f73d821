"""Reads about people, their roles, the registry and dues."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
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

from krets.rights import NO_RIGHTS, Rights

from .models import (
    REGISTRY_FIELDS,
    BoardAssignment,
    BoardFunction,
    BodyAssignment,
    District,
    DuesInvoice,
    DuesReminder,
    DuesStatus,
    Member,
    PartyPosition,
    Payment,
)


def current_year() -> int:
    return timezone.localdate().year


def rights_for_user(user, *, year: int | None = None) -> Rights:
    """The rights of a signed-in user, from their board functions this year and assignments."""
    if not user.is_authenticated:
        return NO_RIGHTS
    member = Member.objects.filter(user=user, left_on__isnull=True).only("id").first()
    if member is None:
        return NO_RIGHTS
    functions = frozenset(
        BoardAssignment.objects.filter(member=member, year=year or current_year()).values_list(
            "function", flat=True
        )
    )
    has_assignment = BodyAssignment.objects.current().filter(member=member).exists()
    return Rights(functions=functions, has_assignment=has_assignment, member_id=member.pk)


def board_for_year(year: int) -> list[BoardAssignment]:
    """The year's board in the order the operating plan lists the functions."""
    order = {function: index for index, function in enumerate(BoardFunction.values)}
    assignments = BoardAssignment.objects.for_year(year).select_related("member", "member__user")
    return sorted(assignments, key=lambda a: (order[a.function], a.member.last_name))


def current_assignments(day: datetime.date | None = None):
    return BodyAssignment.objects.current(day).select_related("member", "body")


def current_party_positions(day: datetime.date | None = None):
    return PartyPosition.objects.current(day).select_related("member")


# The party's ordinary representative in a body is its highest seat; substitutes never are.
REPRESENTATIVE_ROLES = [
    BodyAssignment.Role.CHAIR,
    BodyAssignment.Role.VICE_CHAIR,
    BodyAssignment.Role.MEMBER,
]


def ordinary_representative(body, day: datetime.date | None = None) -> Member | None:
    """The party's ordinary representative in a political body (DOMAIN.md rule 1)."""
    seats = [
        a
        for a in current_assignments(day).filter(body=body, role__in=REPRESENTATIVE_ROLES)
        if a.member.left_on is None
    ]
    seats.sort(key=lambda a: (REPRESENTATIVE_ROLES.index(a.role), a.starts_on, a.pk))
    return seats[0].member if seats else None


def media_spokespeople(body, day: datetime.date | None = None) -> list[Member]:
    """Who speaks for the party to media on a matter of a political body (DOMAIN.md rule 1):
    the party's ordinary representative in that body and the kommunalråd, each named once."""
    commissioners = current_party_positions(day).filter(kind=PartyPosition.Kind.COMMISSIONER)
    people = [ordinary_representative(body, day), *(p.member for p in commissioners)]
    return list({member.pk: member for member in people if member is not None}.values())


# --- The registry -------------------------------------------------------------------------

AGE_BANDS = {
    "under-30": (0, 29),
    "30-49": (30, 49),
    "50-64": (50, 64),
    "65-79": (65, 79),
    "80-": (80, 200),
}
MEMBER_SORTS = {
    "namn": ("last_name", "first_name", "id"),
    "-namn": ("-last_name", "-first_name", "-id"),
    "nummer": ("member_number", "id"),
    "inskriven": ("joined_on", "id"),
    "-inskriven": ("-joined_on", "-id"),
    "kommundel": ("district__name", "last_name", "first_name", "id"),
}


def _born_between(band: str, today: datetime.date) -> Q:
    return _age_between(*AGE_BANDS[band], today)


def _search(search: str, districts: dict[int, str] | None) -> Q:
    """Every word must match a name, the email, the district or the member number; digits
    also match the phone number. Each condition is on the member row itself, so PostgreSQL can
    combine its trigram indexes (migration 0005) instead of scanning the table."""
    if districts is None:
        districts = dict(District.objects.values_list("pk", "name"))
    digits = "".join(ch for ch in search if ch.isdigit()).lstrip("0")
    condition = Q()
    for word in search.split():
        matching_districts = [pk for pk, name in districts.items() if word.lower() in name.lower()]
        condition &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | (Q(district_id__in=matching_districts) if matching_districts else Q(pk__in=[]))
            | (Q(phone__contains=digits) if len(digits) >= 4 else Q(pk__in=[]))
            | (Q(member_number=int(word)) if word.isdigit() and len(word) < 10 else Q(pk__in=[]))
        )
    return condition


def member_list(
    *,
    search: str = "",
    status: str = "",
    district: int | None = None,
    dues_year: int | None = None,
    dues_status: str = "",
    joined_from: datetime.date | None = None,
    joined_to: datetime.date | None = None,
    age_band: str = "",
    sort: str = "namn",
    today: datetime.date | None = None,
    districts: dict[int, str] | None = None,
) -> QuerySet[Member]:
    """The registry, searched, filtered and sorted; one query however the page is cut.

    `districts` (id → name) saves a query when the caller has them already."""
    today = today or timezone.localdate()
    members = Member.objects.select_related("district")
    if search:
        members = members.filter(_search(search, districts))
    if status == "aktiva":
        members = members.filter(left_on__isnull=True)
    elif status == "uttradda":
        members = members.filter(left_on__isnull=False)
    if district:
        members = members.filter(district_id=district)
    if joined_from:
        members = members.filter(joined_on__gte=joined_from)
    if joined_to:
        members = members.filter(joined_on__lte=joined_to)
    if age_band in AGE_BANDS:
        members = members.filter(_born_between(age_band, today))
    if dues_year and dues_status:
        if dues_status == "saknas":
            members = members.exclude(invoices__year=dues_year)
        else:
            invoices = invoices_with_status(year=dues_year, status=dues_status, today=today)
            members = members.filter(Exists(invoices.filter(member=OuterRef("pk"))))
    return members.order_by(*MEMBER_SORTS.get(sort, MEMBER_SORTS["namn"]))


def member_history(member: Member) -> dict:
    """What happened to a member: tasks, dues with payments, reminders, changes."""
    from krets.models import AuditEvent

    invoices = list(
        member.invoices.select_related("fee")
        .prefetch_related("payments", "reminders")
        .annotate(paid=invoice_paid_total())
        .order_by("-year")
    )
    today = timezone.localdate()
    for invoice in invoices:
        invoice.status_value = invoice.status(paid=invoice.paid, today=today)
        invoice.status_label = DuesStatus(invoice.status_value).label
    return {
        "tasks": list(member.tasks.select_related("done_by")),
        "invoices": invoices,
        "changes": list(
            AuditEvent.objects.filter(target=f"medlem:{member.pk}")
            .exclude(action=AuditEvent.Action.MEMBER_VIEWED)
            .order_by("-at")[:50]
        ),
    }


# --- Dues ---------------------------------------------------------------------------------


def invoice_paid_total():
    """An annotation: the sum of an invoice's payments (0 without any)."""
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(paid, output_field=DecimalField(max_digits=10, decimal_places=2)),
        Value(Decimal("0.00")),
        output_field=DecimalField(max_digits=10, decimal_places=2),
    )


def status_case(today: datetime.date) -> Case:
    """The derived status as SQL, the same rule as models.dues_status."""
    return Case(
        When(paid__gte=F("amount"), then=Value(DuesStatus.PAID)),
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
    if status == DuesStatus.PAID:
        invoices = invoices.filter(paid__gte=F("amount"))
    elif status == DuesStatus.UNPAID:
        invoices = invoices.filter(paid__lt=F("amount"))
    elif status == DuesStatus.PART_PAID:
        invoices = invoices.filter(paid__lt=F("amount"), paid__gt=0, due_on__gte=today)
    elif status == DuesStatus.OVERDUE:
        invoices = invoices.filter(paid__lt=F("amount"), due_on__lt=today)
    return invoices


def dues_summary(*, year: int, today: datetime.date | None = None) -> dict:
    """Counts per status and sums for a year's dues, in two queries."""
    from django.db.models import Count

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
        )
        .iterator(chunk_size=2000)
    )


# --- Unpaid dues --------------------------------------------------------------------------


def reminder_steps_due(*, today: datetime.date) -> list[tuple[int, int]]:
    """(invoice id, step) for every unpaid invoice whose next step is due: one query.

    Step 1 comes DUES_REMINDER_1_DAYS after the due date; step 2 DUES_REMINDER_2_DAYS after
    step 1; step 3 (a personal-contact task) as long after step 2. Members who left get
    nothing, nor do invoices paid in full.
    """
    first = datetime.timedelta(days=settings.KRETS_DUES_REMINDER_1_DAYS)
    later = datetime.timedelta(days=settings.KRETS_DUES_REMINDER_2_DAYS)
    steps = DuesReminder.objects.filter(invoice=OuterRef("pk"))
    rows = (
        DuesInvoice.objects.filter(member__left_on__isnull=True, due_on__lte=today - first)
        .annotate(paid=invoice_paid_total())
        .filter(paid__lt=F("amount"))
        .annotate(
            last_step=Coalesce(Subquery(steps.order_by("-step").values("step")[:1]), Value(0)),
            last_on=Subquery(steps.order_by("-step").values("created_on")[:1]),
        )
        .filter(Q(last_step=0) | Q(last_step__in=[1, 2], last_on__lte=today - later))
        .values_list("pk", "last_step")
    )
    return [(pk, last_step + 1) for pk, last_step in rows]


def open_tasks(*, kind: str | None = None):
    from .models import MemberTask

    tasks = MemberTask.objects.filter(done_on__isnull=True, member__left_on__isnull=True)
    if kind:
        tasks = tasks.filter(kind=kind)
    return tasks.select_related("member", "member__district").order_by("due_on", "id")


def member_data_export(member: Member) -> dict:
    """Everything stored about one member, for a register extract or their own download."""
    fields = [name for name in REGISTRY_FIELDS if name not in ("district", "recruited_by")]
    fields += ["left_on", "leave_reason", "newsletter_consent_on"]
    data = {name: getattr(member, name) for name in fields}
    data["district"] = member.district.name if member.district_id else None
    data["recruited_by"] = member.recruited_by.full_name if member.recruited_by_id else None
    data["board_functions"] = [
        {"year": a.year, "function": a.get_function_display()}
        for a in member.board_assignments.all()
    ]
    data["political_assignments"] = [
        {"body": a.body.name, "role": a.get_role_display(), "from": a.starts_on, "to": a.ends_on}
        for a in member.body_assignments.select_related("body")
    ]
    data["tasks"] = [
        {"kind": t.get_kind_display(), "due_on": t.due_on, "done_on": t.done_on, "note": t.note}
        for t in member.tasks.all()
    ]
    data["dues"] = [
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
        for invoice in member.invoices.prefetch_related("payments", "reminders").order_by("year")
    ]
    return data


def self_service_dues(member: Member) -> list[DuesInvoice]:
    """A member's invoices with status, newest first; unpaid ones carry a Swish QR code."""
    from .swish import swish_payload, swish_qr_svg

    today = timezone.localdate()
    invoices = list(member.invoices.annotate(paid=invoice_paid_total()).order_by("-year"))
    for invoice in invoices:
        invoice.status_value = invoice.status(paid=invoice.paid, today=today)
        invoice.status_label = DuesStatus(invoice.status_value).label
        invoice.left_to_pay = max(invoice.amount - invoice.paid, Decimal("0"))
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


# --- Statistics ---------------------------------------------------------------------------

STAT_AGE_BANDS = [(0, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 79), (80, 200)]


def _month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    ends = []
    year, month = today.year, today.month
    for _ in range(months):
        first_of_next = datetime.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(min(first_of_next - datetime.timedelta(days=1), today))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(ends))


def member_statistics(*, year: int, today: datetime.date | None = None) -> dict:
    """The board's figures: growth by month, new members against target, ages, districts,
    the share with unpaid dues. A handful of queries however many members there are."""
    from django.db.models import Count

    from .hooks import recruitment_target

    today = today or timezone.localdate()
    # Two years of months up to the end of the chosen year (or today, in the current year).
    months = _month_ends(min(today, datetime.date(year, 12, 31)), 24)
    # Members at each month's end: joined by then and not left by then.
    over_time = Member.objects.aggregate(
        **{
            f"m{i}": Count(
                "id", filter=Q(joined_on__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=end))
            )
            for i, end in enumerate(months)
        }
    )
    active = Member.objects.filter(left_on__isnull=True)
    ages = active.filter(birth_date__isnull=False).aggregate(
        **{
            f"a{i}": Count("id", filter=_age_between(low, high, today))
            for i, (low, high) in enumerate(STAT_AGE_BANDS)
        },
        total=Count("id"),
    )
    birth_dates = active.filter(birth_date__isnull=False).values_list("birth_date", flat=True)
    total_age_days = sum((today - born).days for born in birth_dates.iterator(chunk_size=5000))
    average_age = total_age_days / 365.2425 / ages["total"] if ages["total"] else None
    new_members = Member.objects.filter(joined_on__year=year).count()
    dues = dues_summary(year=year, today=today)
    not_paid = dues["n_" + DuesStatus.UNPAID] + dues["n_" + DuesStatus.PART_PAID]
    not_paid += dues["n_" + DuesStatus.OVERDUE]
    return {
        "active": active.count(),
        "over_time": [(end, over_time[f"m{i}"]) for i, end in enumerate(months)],
        "new_members": new_members,
        "target": recruitment_target(year),
        "average_age": average_age,
        "ages": [
            (f"{low}–{high}" if high < 200 else f"{low}–", ages[f"a{i}"])
            for i, (low, high) in enumerate(STAT_AGE_BANDS)
        ],
        "districts": list(
            active.values_list("district__name").annotate(n=Count("id")).order_by("-n")
        ),
        "dues_count": dues["count"],
        "dues_not_paid": not_paid,
        "dues_share_not_paid": not_paid / dues["count"] if dues["count"] else None,
    }


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_between(low: int, high: int, today: datetime.date) -> Q:
    """Aged low to high (inclusive) today."""
    return Q(
        birth_date__lte=_years_before(today, low),
        birth_date__gt=_years_before(today, high + 1),
    )


def active_member_ids(member_ids) -> set[int]:
    """Those of these members who have not left: mail to members skips the others."""
    return set(
        Member.objects.filter(pk__in=member_ids, left_on__isnull=True).values_list("pk", flat=True)
    )
