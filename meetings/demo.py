"""Demo meetings: the plan's eleven chapter meetings of 2023 across the districts, each with a
board meeting, council meetings with the council group before them, trainings, a decision-group
matter and a kit booking; and a few meetings ahead of today so the calendar is not empty."""

import datetime

from django.utils import timezone

from goals.models import ProgrammeLink, ProgrammePoint
from krets.demo import HISTORY_YEAR, demo_today, demo_year
from members.demo import DISTRICTS, demo_members
from members.models import BoardFunction, District, Member, PoliticalBody

from . import services
from .models import CouncilMeeting, GroupSeat, Kind, Kit, KitBooking, Matter, Meeting, Topic, Vote
from .services import local

# Verksamhetsplan 2023, "Praktisk planering", rotated over the districts.
CHAPTER_DATES_2023 = [
    (datetime.date(2023, 3, 1), "Sandviken"),  # constituent meeting
    (datetime.date(2023, 3, 8), "Storvik"),
    (datetime.date(2023, 4, 5), "Järbo"),
    (datetime.date(2023, 5, 10), "Årsunda"),
    (datetime.date(2023, 6, 7), "Österfärnebo"),
    (datetime.date(2023, 8, 16), "Kungsgården"),
    (datetime.date(2023, 9, 6), "Åshammar"),
    (datetime.date(2023, 9, 13), "Gysinge"),
    (datetime.date(2023, 10, 11), "Sandviken"),
    (datetime.date(2023, 11, 8), "Storvik"),
    (datetime.date(2023, 12, 6), "Järbo"),
]
COUNCIL_2023 = [
    datetime.date(2023, 2, 27),
    datetime.date(2023, 4, 24),
    datetime.date(2023, 6, 19),
    datetime.date(2023, 9, 25),
    datetime.date(2023, 11, 27),
    datetime.date(2023, 12, 18),
]


def adopt() -> None:
    """A database with only the demo's members is the demo's (see goals.demo.adopt)."""
    Meeting.objects.filter(demo=False).update(demo=True)


def _mark(meetings) -> None:
    Meeting.objects.filter(pk__in=[meeting.pk for meeting in meetings]).update(demo=True)


def _meeting(kind: str, title: str, day: datetime.date, start, end, **fields) -> Meeting:
    meeting = Meeting.objects.filter(kind=kind, title=title, demo=True).first()
    values = {"starts_at": local(day, start), "ends_at": local(day, end), **fields}
    if meeting is None:
        meeting = services.meeting_create(actor=None, kind=kind, title=title, **values)
        _mark([meeting])
        return meeting
    return services.meeting_update(actor=None, meeting=meeting, changes=values)


def _chapter_year(year: int, dates, organiser) -> None:
    """The year's chapter meetings, each with its board meeting, proposed and decided. Only the
    meetings created here are decided: another proposal for the year is the board's own."""
    created = services.year_plan_propose(actor=None, year=year, dates=dates, organiser=organiser)
    _mark(created)
    for meeting in created:
        services.meeting_set_status(actor=None, meeting=meeting, status=Meeting.Status.DECIDED)


def _council(day: datetime.date) -> None:
    """A council sitting with the council group's meeting a week before, decided. A sitting
    already entered for that day (the demo's own, or a real one) is left as it is."""
    if CouncilMeeting.objects.filter(day=day).exists():
        return
    council = services.council_meeting_add(
        actor=None, starts_at=local(day, datetime.time(13, 0)), days_before=7
    )
    _mark([council.group_meeting])
    services.meeting_set_status(
        actor=None, meeting=council.group_meeting, status=Meeting.Status.DECIDED
    )


def _weekday_of_month(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    """The nth (1-based; -1 for the last) `weekday` (Monday 0) of a month."""
    if nth > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))
    last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _this_year(districts: dict, secretary) -> None:
    """Today's year as the plan repeats it: eleven chapter meetings rotating through the
    districts (the second Wednesday of every month but July), each with its board meeting, and
    the council's sittings with the council group a week before; past and ahead of today."""
    year, today = demo_year(), demo_today()
    months = [month for month in range(1, 13) if month != 7]
    dates = [
        (_weekday_of_month(year, month, 2, 2), districts[DISTRICTS[n % len(DISTRICTS)]])
        for n, month in enumerate(months)
    ]
    _chapter_year(year, dates, secretary)
    sittings = [_weekday_of_month(year, month, 0, -1) for month in (2, 4, 6, 9, 11)]
    sittings.append(_weekday_of_month(year, 12, 0, 2))
    # There is always a next sitting with its group meeting still ahead; after the last sitting
    # of the year, that is the first of next year.
    if not any(day > today + datetime.timedelta(days=7) for day in sittings):
        sittings.append(_weekday_of_month(year + 1, 1, 0, -1))
    for day in sittings:
        _council(day)


YOUTH_HOUSING = (
    "Gruppen yrkar att Sandviken Hus bygger 40 lägenheter för unga under mandatperioden."
)


def _adjusted_minutes() -> None:
    """The council group's first meeting of 2023 with minutes by § that its two justerare, the
    kommunalråd and the gruppledare, have adjusted, so the demo shows a valid protocol, a
    decision to search for, and a programme link chosen from the list. Written once."""
    meeting = (
        Meeting.objects.filter(kind=Kind.COUNCIL_GROUP, starts_at__year=2023)
        .order_by("starts_at")
        .first()
    )
    adjusters = list(
        Member.objects.filter(
            email__in=["kommunalrad@example.org", "gruppledare@example.org"]
        ).order_by("email")
    )
    if meeting is None or len(adjusters) != 2 or meeting.paragraphs.exists():
        return
    moment = meeting.ends_at
    for member in adjusters:
        services.walk_in_record(actor=None, meeting=meeting, member=member, now=moment)
    services.walk_in_record(
        actor=None, meeting=meeting, guest_name="Ersättare från Järbo", now=moment
    )
    P = services.ParagraphInput
    services.minutes_paragraphs_save(
        actor=None,
        meeting=meeting,
        paragraphs=[
            P("Mötets öppnande", "Gruppledaren öppnade mötet."),
            P("Val av två justerare", "", "Annika Sundström och Maria Lönn justerar protokollet."),
            P("Godkännande av dagordning", "", "Dagordningen godkändes."),
            P(
                "Sandviken Hus ägardirektiv",
                "Bostäder för unga saknas i hela kommunen.",
                YOUTH_HOUSING,
            ),
            P("Mötets avslutande"),
        ],
    )
    services.adjusters_choose(actor=None, meeting=meeting, members=adjusters, now=moment)
    # Finished and adjusted two days after the meeting; no mail goes out from the demo.
    finished = moment + datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(minutes_finished_at=finished)
    meeting.adjusters.update(asked_at=finished)
    for adjuster in meeting.adjusters.all():
        services.minutes_adjust(
            actor=None, adjuster=adjuster, approve=True, now=finished + datetime.timedelta(days=1)
        )
    decision = meeting.paragraphs.get(decision=YOUTH_HOUSING)
    point = ProgrammePoint.objects.filter(number=2).order_by("pk").first()
    if point:
        ProgrammeLink.objects.get_or_create(
            point=point,
            source="meetings.decision",
            target_id=decision.pk,
            defaults={
                "kind": ProgrammeLink.Kind.DECISION,
                "title": f"{meeting.title} § {decision.number}: {YOUTH_HOUSING}",
            },
        )


def _programme_link() -> None:
    """The election programme's point on the village schools, driven by the school-transport
    matter: a link chosen from the list (goals/linkables.py), as the ordförande would."""
    matter = Matter.objects.filter(title="Skolskjuts på landsbygden").first()
    point = ProgrammePoint.objects.filter(number=1).order_by("pk").first()
    if matter and point:
        ProgrammeLink.objects.get_or_create(
            point=point,
            source="meetings.matter",
            target_id=matter.pk,
            defaults={"kind": ProgrammeLink.Kind.MATTER, "title": matter.title},
        )


def load(stdout=None) -> None:
    districts = {d.name: d for d in District.objects.all()}
    secretary = Member.objects.filter(email=f"{BoardFunction.SECRETARY}@example.org").first()
    _chapter_year(2023, [(day, districts[name]) for day, name in CHAPTER_DATES_2023], secretary)
    first = Meeting.objects.filter(
        kind=Kind.CHAPTER, starts_at__date=datetime.date(2023, 3, 1), demo=True
    ).first()
    if first is not None and first.title != "Konstituerande kretsmöte":
        services.meeting_update(
            actor=None, meeting=first, changes={"title": "Konstituerande kretsmöte"}
        )

    for day in COUNCIL_2023:
        _council(day)
    if demo_year() != HISTORY_YEAR:
        _this_year(districts, secretary)

    decided = {"status": Meeting.Status.DECIDED}
    trainer = Member.objects.filter(email=f"{BoardFunction.TRAINING}@example.org").first()
    school = _meeting(
        Kind.POLITICIANS_SCHOOL,
        "Politikerskola: kommunens budgetprocess",
        datetime.date(2023, 10, 21),
        datetime.time(10, 0),
        datetime.time(15, 0),
        topic=Topic.POLITICS,
        district=districts["Sandviken"],
        address="Folkets hus, Sandviken",
        organiser=trainer,
        **decided,
    )
    _meeting(
        Kind.TRAINING,
        "Utbildning: att skriva insändare",
        datetime.date(2023, 4, 22),
        datetime.time(10, 0),
        datetime.time(13, 0),
        topic=Topic.COMMUNICATION,
        video_url="https://meet.example.org/insandare",
        organiser=trainer,
        **decided,
    )
    for member in demo_members().filter(body_assignments__isnull=False).distinct():
        services.participant_register(actor=None, meeting=school, member=member)
    school.invitations.update(attended=True)

    today = timezone.localdate()
    soon = today + datetime.timedelta(days=14)
    _meeting(
        Kind.CHAPTER,
        "Kretsmöte: vinterns frågor",
        soon,
        datetime.time(18, 30),
        datetime.time(20, 30),
        district=districts["Storvik"],
        address="Bygdegården, Storvik",
        organiser=secretary,
        **decided,
    )
    talk = _meeting(
        Kind.CONVERSATION,
        "Samtalsträff: landsbygdens service",
        soon + datetime.timedelta(days=7),
        datetime.time(18, 0),
        datetime.time(19, 30),
        district=districts["Järbo"],
        address="Järbo bibliotek",
        video_url="https://meet.example.org/landsbygd",
        **decided,
    )
    kit = Kit.objects.default()
    # Someone else's booking of the kit at that time is left alone: then the demo books none.
    clash = KitBooking.objects.filter(
        kit=kit, starts_at__lt=talk.ends_at, ends_at__gt=talk.starts_at
    ).exists()
    if secretary and not clash:
        services.kit_book(
            actor=None,
            member=secretary,
            starts_at=talk.starts_at,
            ends_at=talk.ends_at,
            meeting=talk,
        )

    body = PoliticalBody.objects.filter(name="Kunskapsnämnden").first()
    if body and not Matter.objects.filter(title="Skolskjuts på landsbygden").exists():
        matter = services.matter_raise(
            actor=None,
            title="Skolskjuts på landsbygden",
            body=body,
            description="Ska C driva kortare maxtid för skolskjuts i budgetförhandlingen?",
            proposals=["Driva kortare maxtid", "Avvakta utredningen"],
            day=datetime.date(2023, 9, 1),
            among=demo_members(),
        )
        drive, wait = matter.proposals.all()
        for seat in matter.seats.filter(member__in=demo_members()):
            roles = set(seat.roles)
            choice = wait if GroupSeat.Role.GROUP_LEADER in roles else drive
            Vote.objects.update_or_create(
                matter=matter, member=seat.member, defaults={"proposal": choice}
            )
        services.matter_close(actor=None, matter=matter)
    _programme_link()
    _adjusted_minutes()
    if stdout:
        stdout.write(
            f"meetings: {Meeting.objects.count()} meetings, {Matter.objects.count()} matters"
        )
