"""Reads about people, their roles and the registry."""

import datetime

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from krets.rights import NO_RIGHTS, Perm, Rights
from krets.twofactor import has_two_factor

from . import parts
from .dates import month_ends, years_before
from .models import (
    REGISTRY_FIELDS,
    BoardAssignment,
    BoardFunction,
    BodyAssignment,
    District,
    Member,
    MemberTask,
    PartyPosition,
)


def get_member_for_user(request, pk: int, *, write: bool = False) -> Member:
    """The member, if the request may see (or change) the registry; 404 for anonymised ones."""
    request.rights.require(Perm.MEMBERS_CHANGE if write else Perm.MEMBERS_VIEW)
    return get_object_or_404(
        Member.objects.select_related("district", "recruited_by"), pk=pk, anonymised_on=None
    )


def get_open_task_for_user(request, pk: int) -> MemberTask:
    """A welcome or contact task still to do, if the request may mark tasks done."""
    request.rights.require(Perm.WELCOME_CHANGE)
    return get_object_or_404(MemberTask.objects.select_related("member"), pk=pk, done_on=None)


def current_year() -> int:
    return timezone.localdate().year


def rights_for_user(user, *, year: int | None = None) -> Rights:
    """The rights of a signed-in user, from their board functions this year, assignments and
    party positions (a politician: a seat, the kommunalråd or the gruppledare)."""
    if not user.is_authenticated:
        return NO_RIGHTS
    # Two queries on every request: the member with "has an assignment / a party position",
    # then the functions.
    member = (
        Member.objects.filter(user=user, left_on__isnull=True)
        .annotate(
            has_assignment=Exists(BodyAssignment.objects.current().filter(member=OuterRef("pk"))),
            has_party_position=Exists(
                PartyPosition.objects.current().filter(member=OuterRef("pk"))
            ),
        )
        .values("pk", "has_assignment", "has_party_position")
        .first()
    )
    if member is None:
        return NO_RIGHTS
    functions = frozenset(
        BoardAssignment.objects.filter(
            member_id=member["pk"], year=year or current_year()
        ).values_list("function", flat=True)
    )
    return Rights(
        functions=functions,
        has_assignment=member["has_assignment"],
        has_party_position=member["has_party_position"],
        member_id=member["pk"],
    )


def board_for_year(year: int) -> list[BoardAssignment]:
    """The year's board in the order the operating plan lists the functions."""
    order = {function: index for index, function in enumerate(BoardFunction.values)}
    assignments = BoardAssignment.objects.for_year(year).select_related("member", "member__user")
    return sorted(assignments, key=lambda a: (order[a.function], a.member.last_name))


def communication_officers(year: int | None = None) -> list[Member]:
    """The year's kommunikationsansvarig (usually one) with an address to mail."""
    return list(
        Member.objects.filter(
            board_assignments__year=year or current_year(),
            board_assignments__function=BoardFunction.COMMUNICATION,
        )
        .exclude(email="")
        .distinct()
    )


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
    joined_from: datetime.date | None = None,
    joined_to: datetime.date | None = None,
    age_band: str = "",
    sort: str = "namn",
    today: datetime.date | None = None,
    districts: dict[int, str] | None = None,
    part_filters: dict | None = None,
) -> QuerySet[Member]:
    """The registry, searched, filtered and sorted; one query however the page is cut.

    `districts` (id → name) saves a query when the caller has them already; `part_filters`
    are the cleaned values of the fields other apps add to the search form (members.parts),
    e.g. dues' year and status."""
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
    for part in parts.registered():
        if part.filter_members is not None:
            members = part.filter_members(members, part_filters or {}, today)
    return members.order_by(*MEMBER_SORTS.get(sort, MEMBER_SORTS["namn"]))


def member_history(member: Member) -> dict:
    """What happened to a member: tasks and changes, and what other apps show of them
    (`sections`, e.g. dues with payments and reminders)."""
    from krets.models import AuditEvent

    return {
        "tasks": list(member.tasks.select_related("done_by")),
        "sections": parts.sections("member_section", member),
        "changes": list(
            AuditEvent.objects.filter(target=f"medlem:{member.pk}")
            .exclude(action=AuditEvent.Action.MEMBER_VIEWED)
            .order_by("-at")[:50]
        ),
    }


# --- Welcome and contact tasks ------------------------------------------------------------


def open_tasks(*, kind: str | None = None):
    # A goodbye is the one task about a member who has left (until they are anonymised).
    tasks = MemberTask.objects.filter(done_on__isnull=True).filter(
        Q(member__left_on__isnull=True)
        | Q(kind=MemberTask.Kind.GOODBYE, member__anonymised_on__isnull=True)
    )
    if kind:
        tasks = tasks.filter(kind=kind)
    return tasks.select_related("member", "member__district").order_by("due_on", "id")


def contact_tasks(
    *,
    search: str = "",
    district: int | None = None,
    status: str = "",
    today: datetime.date,
    districts: dict[int, str] | None = None,
) -> QuerySet[MemberTask]:
    """The open contact tasks about unpaid dues, most overdue first; `status` "forsenad" keeps
    those past their date, "i-tid" the others. Search as in the registry (name, email, district,
    member number, phone digits)."""
    tasks = open_tasks(kind=MemberTask.Kind.DUES_CONTACT)
    if search:
        tasks = tasks.filter(member__in=Member.objects.filter(_search(search, districts)))
    if district:
        tasks = tasks.filter(member__district_id=district)
    if status == "forsenad":
        tasks = tasks.filter(due_on__lt=today)
    elif status == "i-tid":
        tasks = tasks.filter(due_on__gte=today)
    return tasks


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
    data.update(parts.collected("data_export", member))
    return data


# --- Statistics ---------------------------------------------------------------------------

STAT_AGE_BANDS = [(0, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 79), (80, 200)]


def member_statistics(*, year: int, today: datetime.date | None = None) -> dict:
    """The board's figures: growth by month, new members, ages, districts; and what other
    apps add (members.parts): the share with unpaid dues, the year's recruitment target. A
    handful of queries however many members there are."""
    today = today or timezone.localdate()
    # Two years of months up to the end of the chosen year (or today, in the current year).
    months = month_ends(min(today, datetime.date(year, 12, 31)), 24)

    # Members at each month's end: joined by then and not left by then. Each member falls in
    # the first month whose end is on or after their joining (and leaving) day; the members of
    # each (joined, left) pair of months are counted in one pass and summed here, where 24
    # filtered counts made PostgreSQL test every member 24 times.
    def month_of(field: str, *, empty: int) -> Case:
        return Case(
            When(**{f"{field}__isnull": True}, then=Value(empty)),
            *[When(**{f"{field}__lte": end}, then=Value(i)) for i, end in enumerate(months)],
            default=Value(len(months)),
        )

    never = len(months) + 1
    pairs = (
        Member.objects.annotate(
            joined_month=month_of("joined_on", empty=never),
            left_month=month_of("left_on", empty=never),
        )
        .values_list("joined_month", "left_month")
        .annotate(n=Count("id"))
        .order_by()
    )
    over_time = [0] * len(months)
    active_count = 0
    for joined_month, left_month, n in pairs:
        active_count += n if left_month == never else 0
        for i in range(joined_month, min(left_month, len(months))):
            over_time[i] += n
    # Ages and the average age from the active members' birth dates, counted per date (a few
    # thousand distinct dates, where 100 000 rows were read one by one).
    active = Member.objects.filter(left_on__isnull=True)
    bands = [
        (years_before(today, high + 1), years_before(today, low)) for low, high in STAT_AGE_BANDS
    ]
    by_band = [0] * len(STAT_AGE_BANDS)
    total, total_age_days = 0, 0
    for born, n in (
        active.filter(birth_date__isnull=False)
        .values_list("birth_date")
        .annotate(n=Count("id"))
        .order_by()
    ):
        total += n
        total_age_days += (today - born).days * n
        for i, (after, until) in enumerate(bands):
            if after < born <= until:
                by_band[i] += n
                break
    average_age = total_age_days / 365.2425 / total if total else None
    new_members = Member.objects.filter(joined_on__year=year).count()
    return {
        "active": active_count,
        "over_time": list(zip(months, over_time, strict=True)),
        "new_members": new_members,
        # Filled in by the parts that know them (goals: the target; dues: unpaid dues).
        "target": None,
        "dues_count": 0,
        "dues_not_paid": 0,
        "dues_share_not_paid": None,
        "average_age": average_age,
        "ages": [
            (f"{low}–{high}" if high < 200 else f"{low}–", by_band[i])
            for i, (low, high) in enumerate(STAT_AGE_BANDS)
        ],
        "districts": list(
            active.values_list("district__name").annotate(n=Count("id")).order_by("-n")
        ),
        **parts.collected("statistics", year, today),
    }


def _age_between(low: int, high: int, today: datetime.date) -> Q:
    """Aged low to high (inclusive) today."""
    return Q(
        birth_date__lte=years_before(today, low),
        birth_date__gt=years_before(today, high + 1),
    )


def active_member_ids(member_ids) -> set[int]:
    """Those of these members who have not left: mail to members skips the others."""
    return set(
        Member.objects.filter(pk__in=member_ids, left_on__isnull=True).values_list("pk", flat=True)
    )


def rights_of_feed_owner(user):
    """The rights a token (a private calendar feed) opens: none beyond the public's while the
    owner is a board account without two-factor, as on every public page."""
    rights = rights_for_user(user)
    required = settings.KRETS_REQUIRE_MFA and (user.is_staff or rights.is_board)
    if required and not has_two_factor(user):
        return NO_RIGHTS
    return rights
