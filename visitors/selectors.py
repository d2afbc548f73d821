"""Reads of the open doors: the public list of meetings, what the organiser and the
medlemsansvarig see, and the funnel's figures (by Stockholm calendar month)."""

import datetime
import functools
import operator
from collections import Counter as Tally
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from meetings.models import OPEN_KINDS, Meeting
from members.models import Member

from .models import Application, Contact, SignUp, Source

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def public_meetings(now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """Upcoming decided meetings that are open to everyone, soonest first."""
    return (
        Meeting.objects.filter(
            kind__in=OPEN_KINDS, status=Meeting.Status.DECIDED, ends_at__gte=now or timezone.now()
        )
        .select_related("district")
        .order_by("starts_at", "id")
    )


def public_meetings_version() -> str:
    """Changes whenever an open meeting is added, changed or removed: the public pages' cache
    key, so an edit shows at once without waiting for the cache to expire."""
    found = Meeting.objects.filter(kind__in=OPEN_KINDS).aggregate(
        n=Count("id"), changed=Max("updated_at")
    )
    changed = found["changed"].timestamp() if found["changed"] else 0
    return f"{found['n']}-{changed}"


def district_for_postcode(postcode: str):
    """The kommundel most members with this postcode live in, or None."""
    postcode = postcode.replace(" ", "")
    if not postcode:
        return None
    rows = (
        Member.objects.filter(postcode__in=[postcode, f"{postcode[:3]} {postcode[3:]}"])
        .exclude(district=None)
        .values("district")
        .annotate(n=Count("id"))
        .order_by("-n", "district")
    )
    first = rows.first()
    if first is None:
        return None
    from members.models import District

    return District.objects.filter(pk=first["district"]).first()


def meeting_signups(meeting: Meeting) -> list[SignUp]:
    return list(
        meeting.signups.filter(confirmed_at__isnull=False, erased_at__isnull=True)
        .select_related("member")
        .order_by("name", "id")
    )


def contacts_to_invite() -> QuerySet[Contact]:
    """Contacts the medlemsansvarig may ask to join: most recently active first."""
    return Contact.objects.annotate(
        meetings=Count("signups", distinct=True),
    ).order_by("-last_activity_at", "id")


def pending_applications() -> QuerySet[Application]:
    return Application.objects.filter(state=Application.State.PENDING).select_related("district")


# --- The funnel ----------------------------------------------------------------------------


def day_bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, end+1 00:00) in Stockholm: what "in this month" means for a timestamp."""
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=STOCKHOLM),
        datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=STOCKHOLM
        ),
    )


# Each step as a condition, so the step's records and the dashboard's grouped counts agree.
def _signed_up(low, high) -> Q:
    return Q(confirmed_at__gte=low, confirmed_at__lt=high)


def _first_time(low, high) -> Q:
    return Q(
        first_time=True, attended=True, meeting__starts_at__gte=low, meeting__starts_at__lt=high
    )


def _applied(low, high) -> Q:
    return Q(verified_at__gte=low, verified_at__lt=high)


def _joined(low, high) -> Q:
    return Q(state=Application.State.APPROVED, decided_at__gte=low, decided_at__lt=high)


def funnel_signups(start, end) -> QuerySet[SignUp]:
    return SignUp.objects.filter(_signed_up(*day_bounds(start, end)))


def funnel_first_timers(start, end) -> QuerySet[SignUp]:
    return SignUp.objects.filter(_first_time(*day_bounds(start, end)))


def funnel_applications(start, end) -> QuerySet[Application]:
    return Application.objects.filter(_applied(*day_bounds(start, end)))


def funnel_new_members(start, end) -> QuerySet[Application]:
    return Application.objects.filter(_joined(*day_bounds(start, end)))


FUNNEL = {
    "anmalningar": funnel_signups,
    "forsta-gangen": funnel_first_timers,
    "ansokningar": funnel_applications,
    "nya-medlemmar": funnel_new_members,
}


SOURCES = (Source.MEETING, Source.CAMPAIGN, Source.FORM)


def funnel_by_source_kind(start, end) -> list[dict]:
    """Each step of the funnel in the period: its total and how many came from a meeting's
    page, a campaign's link or the form alone. Two grouped queries for the four steps (the
    goals dashboard has a query budget)."""
    low, high = day_bounds(start, end)
    counts: dict[str, dict[str, int]] = {step: {} for step in FUNNEL}
    for model, steps in (
        (SignUp, {"anmalningar": _signed_up, "forsta-gangen": _first_time}),
        (Application, {"ansokningar": _applied, "nya-medlemmar": _joined}),
    ):
        conditions = {step: condition(low, high) for step, condition in steps.items()}
        either = functools.reduce(operator.or_, conditions.values())
        aggregates = {
            step.replace("-", "_"): Count("id", filter=condition)
            for step, condition in conditions.items()
        }
        for row in model.objects.filter(either).order_by().values("source").annotate(**aggregates):
            for step in steps:
                counts[step][row["source"]] = row[step.replace("-", "_")]
    return [
        {
            "step": step,
            "total": sum(counts[step].values()),
            "by_source": [(source, counts[step].get(source, 0)) for source in SOURCES],
        }
        for step in FUNNEL
    ]


def funnel_records(step: str, start, end, source: str = "") -> list[dict]:
    """The records behind one figure, each with where the person came from; `source`
    (mote/kampanj/formular) keeps only those that came that way."""
    rows = FUNNEL[step](start, end)
    if source in Source.values:
        rows = rows.filter(source=source)
    if rows.model is SignUp:
        return [
            {
                "name": row.name or "(raderad)",
                "when": row.confirmed_at,
                "source": signup_source(row),
            }
            for row in rows.select_related("meeting").order_by("confirmed_at", "id")
        ]
    return [
        {
            "name": row.full_name,
            "when": row.decided_at if step == "nya-medlemmar" else row.verified_at,
            "source": ": ".join(filter(None, [row.get_source_display(), row.source_detail])),
        }
        for row in rows.order_by("created_at", "id")
    ]


def signup_source(signup: SignUp) -> str:
    """A sign-up came through a campaign's link, or else from the meeting's own page."""
    if signup.source == Source.CAMPAIGN:
        return f"{Source.CAMPAIGN.label}: {signup.source_detail}"
    return f"{Source.MEETING.label}: {signup.meeting.title}"


def funnel_by_source(step: str, start, end, source: str = "") -> dict[str, int]:
    records = funnel_records(step, start, end, source)
    return dict(Tally(row["source"] for row in records).most_common())


def funnel_months(year: int, today=None) -> list[dict]:
    """Each month of the year so far: the four steps and the members gained (all ways), with
    the recruitment target spread evenly over the months."""
    import calendar

    from goals.selectors import members_gained, recruitment_target

    today = today or timezone.localdate()
    target = recruitment_target(year)
    months = []
    gained_so_far = 0
    last_month = 12 if year < today.year else today.month
    for month in range(1, last_month + 1):
        start = datetime.date(year, month, 1)
        end = datetime.date(year, month, calendar.monthrange(year, month)[1])
        months.append(
            {
                "start": start,
                "end": end,
                "steps": [(step, query(start, end).count()) for step, query in FUNNEL.items()],
                "members_gained": (gained := members_gained(start, end)),
                "members_gained_so_far": (gained_so_far := gained_so_far + gained),
                "target": round(target * month / 12) if target else None,
            }
        )
    return months
