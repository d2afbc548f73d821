"""Reads for the goals: progress on the year's plan, member figures, the annual report."""

import datetime
from collections import Counter as Tally
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from krets.rights import Perm
from members.dates import years_before
from members.models import Member

from . import linkables, registry
from .models import (
    Activity,
    Goal,
    LogEntry,
    ProgrammePoint,
    Target,
    ThemeDocument,
    ThemeGroup,
    year_period,
)

# Members' ages in the annual report, in these bands (upper bound exclusive, None = no bound).
AGE_BANDS = [(0, 30), (30, 45), (45, 65), (65, 80), (80, None)]


# Fetch and authorise ----------------------------------------------------------------------


def get_group_for_user(request, pk: int) -> ThemeGroup:
    """Board members and the group's own leader (if they have a login) work with a group."""
    group = get_object_or_404(ThemeGroup.objects.select_related("leader"), pk=pk)
    if request.rights.has(Perm.GOALS_VIEW):
        return group
    if group.leader_id is not None and group.leader_id == request.rights.member_id:
        return group
    raise PermissionDenied


def get_document_for_user(request, pk: int) -> ThemeDocument:
    document = get_object_or_404(ThemeDocument.objects.select_related("group"), pk=pk)
    get_group_for_user(request, document.group_id)
    return document


def plan_years() -> list[int]:
    return sorted(set(Goal.objects.values_list("year", flat=True)), reverse=True)


def default_year(today: datetime.date | None = None, years: list[int] | None = None) -> int:
    """The latest year with a plan that has begun, else this year."""
    today = today or timezone.localdate()
    begun = [year for year in (plan_years() if years is None else years) if year <= today.year]
    return begun[0] if begun else today.year


def plan_copy_offer(
    shown: int, today: datetime.date | None = None, years: list[int] | None = None
) -> tuple[int, int] | None:
    """(from, to) for "kopiera förra årets plan": into the year shown if it has no plan, else
    into this year if it has none; from the latest plan before it. None if there is nothing to
    copy or nowhere to copy it."""
    today = today or timezone.localdate()
    years = plan_years() if years is None else years
    to_year = shown if shown not in years else today.year
    if to_year in years:
        return None
    earlier = [year for year in years if year < to_year]
    return (earlier[0], to_year) if earlier else None


# Members (the floor below) ------------------------------------------------------------------


def recruitment_target(year: int) -> int | None:
    """The year's recruitment target: new members the plan aims for (None: no target set)."""
    targets = Target.objects.filter(goal__year=year, measure="members.gained")
    values = list(targets.values_list("target", flat=True))
    return max(values) if values else None


def members_gained(start: datetime.date, end: datetime.date) -> int:
    return Member.objects.filter(joined_on__range=(start, end)).count()


def new_members(start: datetime.date, end: datetime.date):
    return (
        Member.objects.filter(joined_on__range=(start, end))
        .select_related("district")
        .order_by("joined_on", "last_name", "first_name")
    )


def members_left(start: datetime.date, end: datetime.date):
    """The members who left in a period: the rows behind the annual report's "Utträdda"."""
    return (
        Member.objects.filter(left_on__range=(start, end))
        .select_related("district")
        .order_by("left_on", "last_name", "first_name", "pk")
    )


def members_left_url(start: datetime.date, end: datetime.date) -> str:
    return f"{reverse('goals:members_left')}?{urlencode({'fran': start, 'till': end})}"


def new_members_url(start: datetime.date, end: datetime.date) -> str:
    return f"{reverse('goals:new_members')}?{urlencode({'fran': start, 'till': end})}"


def active_on(day: datetime.date) -> Q:
    return Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


@dataclass
class MemberYear:
    at_start: int
    at_end: int
    gained: int
    left: int
    ages: list[tuple[str, int]]  # (band label, members in it at the year's end)
    average_age: int | None

    @property
    def growth(self) -> int:
        return self.at_end - self.at_start


def member_year(year: int) -> MemberYear:
    """Growth and age of the membership over one year, in one query."""
    start, end = year_period(year)
    before_start = start - datetime.timedelta(days=1)
    aggregates = {
        "at_start": Count("id", filter=active_on(before_start)),
        "at_end": Count("id", filter=active_on(end)),
        "gained": Count("id", filter=Q(joined_on__range=(start, end))),
        "left": Count("id", filter=Q(left_on__range=(start, end))),
        "birth_year": Avg("birth_date__year", filter=active_on(end)),
    }
    for low, high in AGE_BANDS:
        # Age at the year's end: born after (end - high years) and on or before (end - low).
        born = Q(birth_date__lte=years_before(end, low))
        if high is not None:
            born &= Q(birth_date__gt=years_before(end, high))
        aggregates[f"age_{low}"] = Count("id", filter=active_on(end) & born)
    row = Member.objects.aggregate(**aggregates)
    ages = [
        (f"{low}–{high - 1}" if high else f"{low}+", row[f"age_{low}"]) for low, high in AGE_BANDS
    ]
    return MemberYear(
        at_start=row["at_start"],
        at_end=row["at_end"],
        gained=row["gained"],
        left=row["left"],
        ages=ages,
        average_age=round(year - row["birth_year"]) if row["birth_year"] else None,
    )


# Progress ------------------------------------------------------------------------------------


class Status:
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_MEASURED = "not_measured"


@dataclass
class Figure:
    """One target of a goal, measured: the actual figure against the target."""

    target: Target
    label: str
    actual: int | None  # None: not measured
    expected_now: int
    records_url: str | None = None
    by_district: dict[str, int] | None = None
    records_permission: str | None = None
    # district name -> the link behind that district's figure (registry.district_urls)
    district_urls: dict[str, str] = field(default_factory=dict)

    @property
    def district_rows(self) -> list[tuple[str, int, str | None]]:
        """(district, figure, link or None) for each district the counter splits into."""
        return [
            (name, count, self.district_urls.get(name))
            for name, count in (self.by_district or {}).items()
        ]

    @property
    def measured(self) -> bool:
        return self.actual is not None

    @property
    def left(self) -> int | None:
        return None if self.actual is None else max(self.target.target - self.actual, 0)

    @property
    def status(self) -> str:
        if self.actual is None:
            return Status.NOT_MEASURED
        if self.actual >= self.target.target:
            return Status.REACHED
        if self.actual >= self.expected_now:
            return Status.ON_TRACK
        return Status.BEHIND


@dataclass
class GoalProgress:
    goal: Goal
    figures: list[Figure] = field(default_factory=list)

    @property
    def reached(self) -> bool | None:
        """True when every target is reached, False when a measured one is not, else None."""
        statuses = {figure.status for figure in self.figures}
        if statuses - {Status.REACHED, Status.NOT_MEASURED}:
            return False
        if not statuses or Status.NOT_MEASURED in statuses:
            return None
        return True


def expected_by(target: int, year: int, today: datetime.date) -> int:
    """How much of a yearly target should be done by `today`, spread evenly over the year."""
    start, end = year_period(year)
    if today < start:
        return 0
    if today >= end:
        return target
    elapsed = (today - start).days + 1
    return target * elapsed // ((end - start).days + 1)


def year_progress(
    year: int, today: datetime.date | None = None, *, rights=None, details: bool = True
) -> list[GoalProgress]:
    """Every goal of the year with its targets measured from the records.

    With `rights`, links to records those rights cannot open are left out. Without `details`
    (the overview counts statuses only) no figure is split by district, which saves a query.
    """
    today = today or timezone.localdate()
    start, end = year_period(year)
    # What is done cannot lie ahead: during the year, count up to and including today.
    if start <= today < end:
        end = today
    goals = Goal.objects.filter(year=year).prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("activity")), "activities"
    )
    logged = dict(
        LogEntry.objects.filter(happened_on__range=(start, end))
        .values_list("activity")
        .annotate(n=Count("id"))
        .values_list("activity", "n")
    )
    measured: dict[str, tuple[int, str | None, dict | None]] = {}
    progress = []
    for goal in goals:
        figures = []
        for target in goal.targets.all():
            expected = expected_by(target.target, year, today)
            if target.is_logged:
                figures.append(
                    Figure(
                        target=target,
                        label=target.label,
                        actual=logged.get(target.activity_id, 0),
                        expected_now=expected,
                        records_url=log_url(activity_id=target.activity_id, year=year),
                    )
                )
                continue
            found = registry.counter(target.measure)
            if found is None:
                figures.append(Figure(target, target.label, None, expected))
                continue
            if target.measure not in measured:
                districts = found.by_district(start, end) if found.by_district and details else None
                measured[target.measure] = (
                    found.count(start, end),
                    found.records_url(start, end) if found.records_url else None,
                    districts,
                    registry.district_urls(found, start, end, districts),
                )
            actual, url, districts, district_links = measured[target.measure]
            figures.append(
                Figure(
                    target,
                    target.label,
                    actual,
                    expected,
                    url,
                    districts,
                    records_permission=found.records_permission,
                    district_urls=district_links,
                )
            )
        if rights is not None:
            for figure in figures:
                if figure.records_permission and not rights.has(figure.records_permission):
                    figure.records_url = None
                    figure.district_urls = {}
        progress.append(GoalProgress(goal=goal, figures=figures))
    return progress


def log_url(*, activity_id: int | None = None, year: int | None = None) -> str:
    query = {key: value for key, value in {"aktivitet": activity_id, "ar": year}.items() if value}
    return f"{reverse('goals:log')}?{urlencode(query)}" if query else reverse("goals:log")


def plan(year: int) -> tuple[list[Goal], list[Activity]]:
    """The year's goals and its activities, each activity once with the goals it serves."""
    goals = list(Goal.objects.filter(year=year).prefetch_related("targets"))
    activities = list(Activity.objects.filter(year=year).prefetch_related("goals"))
    return goals, activities


def log_entries(*, year: int | None = None, activity_id: int | None = None):
    entries = LogEntry.objects.select_related("activity", "created_by")
    if year:
        entries = entries.filter(happened_on__range=year_period(year))
    if activity_id:
        entries = entries.filter(activity_id=activity_id)
    return entries


# The election programme ---------------------------------------------------------------------


def programme_links_resolve(links, rights) -> None:
    """Give each link its `href` for this viewer: the pasted URL, the document, or, for a
    record chosen from a list, where its source says it is, if the viewer may see it (one
    query per source). Otherwise `href` is empty and the stored title shows without a link."""
    chosen: dict[str, list] = {}
    documents = [link for link in links if not link.source and link.document_id]
    # A theme-group document is for the board and its group's leader (get_document_for_user):
    # a politician reading the programme gets the title, not a link to a 403.
    openable = (
        None
        if rights.has(Perm.GOALS_VIEW)
        else set(
            ThemeDocument.objects.filter(
                pk__in=[link.document_id for link in documents],
                group__leader_id=rights.member_id,
            ).values_list("pk", flat=True)
        )
        if documents and rights.member_id is not None
        else set()
    )
    for link in links:
        if link.source:
            chosen.setdefault(link.source, []).append(link)
        elif link.document_id:
            may_open = openable is None or link.document_id in openable
            link.href = (
                reverse("goals:document_detail", args=[link.document_id]) if may_open else ""
            )
        else:
            link.href = link.url
    for key, group in chosen.items():
        linkable = linkables.source(key)
        found = linkable.resolve(rights, [link.target_id for link in group]) if linkable else {}
        for link in group:
            hit = found.get(link.target_id)
            link.href = hit.url if hit else ""


def programme_choices(rights, words: str) -> list[tuple[linkables.Linkable, list]]:
    """What the picker offers for these words: per source, the records this person may see."""
    return [(linkable, linkable.search(rights, words)) for linkable in linkables.registered()]


# Theme groups ---------------------------------------------------------------------------------


def theme_groups_for(*, rights) -> list[ThemeGroup]:
    """The board sees every group; a leader without a board function sees their own."""
    groups = ThemeGroup.objects.select_related("leader").prefetch_related("profile_issues")
    groups = groups.annotate(
        submitted=Count("documents", filter=Q(documents__status=ThemeDocument.Status.SUBMITTED))
    )
    if not rights.is_board:
        groups = groups.filter(leader_id=rights.member_id)
    return list(groups)


def submitted_documents():
    return ThemeDocument.objects.filter(status=ThemeDocument.Status.SUBMITTED).select_related(
        "group"
    )


# Annual report ------------------------------------------------------------------------------


@dataclass
class ReportFigure:
    label: str
    value: int | None  # None: not measured
    by_district: dict[str, int] | None = None
    records_url: str | None = None  # only when the report is shown to someone who may open it
    district_urls: dict[str, str] = field(default_factory=dict)

    @property
    def district_rows(self) -> list[tuple[str, int, str | None]]:
        return [
            (name, count, self.district_urls.get(name))
            for name, count in (self.by_district or {}).items()
        ]


@dataclass
class AnnualFigures:
    year: int
    progress: list[GoalProgress]
    activities: list[Activity]
    records: list[ReportFigure]
    members: MemberYear
    logged: list[tuple[str, int]]
    published: list[ThemeDocument]
    programme: list[tuple[str, int]]
    # The records behind the member figures ("gained"), for those who may read names.
    member_links: dict[str, str] = field(default_factory=dict)

    @property
    def goals_reached(self) -> int:
        return sum(1 for goal in self.progress if goal.reached)


def annual_figures(year: int, today: datetime.date | None = None, *, rights=None) -> AnnualFigures:
    """What the annual report says in figures, generated from the plan and the records.

    With `rights`, each figure carries the link to its records where those rights may open
    it; without (the PDF), no links."""
    start, end = year_period(year)
    records = []
    for found in registry.in_report():
        districts = found.by_district(start, end) if found.by_district else None
        figure = ReportFigure(label=str(found.label), value=found.count(start, end))
        figure.by_district = districts
        if rights is not None and found.records_url is not None:
            if not found.records_permission or rights.has(found.records_permission):
                figure.records_url = found.records_url(start, end)
                figure.district_urls = registry.district_urls(found, start, end, districts)
        records.append(figure)
    member_links = {}
    if rights is not None and rights.has(Perm.MEMBERS_NAMES):
        member_links["gained"] = new_members_url(start, end)
        member_links["left"] = members_left_url(start, end)
    logged = Tally(
        LogEntry.objects.filter(happened_on__range=(start, end)).values_list(
            "activity__title", flat=True
        )
    )
    statuses = dict(ProgrammePoint.Status.choices)
    programme = Tally(ProgrammePoint.objects.values_list("status", flat=True))
    return AnnualFigures(
        year=year,
        progress=year_progress(year, today, rights=rights),
        activities=list(Activity.objects.filter(year=year).prefetch_related("goals")),
        records=records,
        members=member_year(year),
        logged=sorted(logged.items(), key=lambda item: (-item[1], item[0])),
        published=list(
            ThemeDocument.objects.filter(
                status=ThemeDocument.Status.PUBLISHED, published_on__range=(start, end)
            )
            .select_related("group")
            .order_by("published_on")
        ),
        programme=[(str(label), programme.get(value, 0)) for value, label in statuses.items()],
        member_links=member_links,
    )
