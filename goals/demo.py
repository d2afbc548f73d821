"""The 2023 plan from the operating plan (Mål 1–5 and all their activities, each activity once),
with fictitious log entries, theme groups, an election programme and an annual report text."""

import datetime

from krets.demo import HISTORY_YEAR, days_from_today, demo_year
from members.models import BoardFunction as F
from members.models import Member

from . import services
from .models import (
    Activity,
    AnnualReport,
    DocumentEvent,
    Goal,
    LogEntry,
    ProfileIssue,
    ProgrammeLink,
    ProgrammePoint,
    Target,
    ThemeDocument,
    ThemeGroup,
)

YEAR = HISTORY_YEAR
GOALS = {
    1: "Synliggöra och få genomslag för Centerpartiets politik.",
    2: "Öka antalet medlemmar.",
    3: "Vara en attraktiv och engagerad samhällsaktör.",
    4: "Att genomföra utbildningstillfällen för centerpartiets ledamöter och medlemmar, både nya "
    "som gamla, främst inom politik, kommunikation och ledarskap.",
    5: "Att genomföra interaktiva panelsamtal som live-sänds på vår Facebook-sida med fokus på "
    "strategiskt viktiga frågor för oss.",
}
# Each activity of the plan once, with every goal it is listed under (the plan repeats them).
ACTIVITIES = [
    (
        "council",
        "Arbeta i fullmäktige, nämnder och styrelser utifrån valprogrammet, "
        "förhandlingspunkterna samt majoritetsöverenskommelsen",
        [1],
        F.CHAIR,
    ),
    ("campaigns", "Genomföra kampanjer", [1, 2], F.CAMPAIGN),
    ("debates", "Delta på debatter, seminarier etc.", [1, 2], F.VICE_CHAIR),
    (
        "chapter_meetings",
        "Anordna kretsmöten, samtalsträffar, seminarier, debatter etc.",
        [1, 3],
        F.SECRETARY,
    ),
    ("op_eds", "Debattartiklar och pressmeddelanden", [1, 2], F.COMMUNICATION),
    ("representative_training", "Utbildningsinsatser för förtroendevalda", [1], F.TRAINING),
    (
        "theme_groups",
        "Skapa temagrupper kring aktuella frågor och frågor/områden som Centerpartiet vill "
        "profilera sig inom",
        [1, 2, 3],
        F.CHAIR,
    ),
    (
        "media",
        "Fysisk och digital kampanj, insändare, medieutspel, pressmeddelanden, "
        "verksamhetsbesök etc.",
        [1],
        F.CAMPAIGN,
    ),
    ("open_activities", "Anordna öppna aktiviteter och utbildningar", [2, 3], F.TRAINING),
    ("politikerskola", "Hålla åtminstone en politikerskola under 2023", [3, 4], F.TRAINING),
    (
        "competition",
        "Anordna tävling på FB-sida som skapar interaktion och delningar",
        [3],
        F.COMMUNICATION,
    ),
    (
        "live_panels",
        "Live-sändning via Facebook med inbjuden panel för att prata om strategiskt viktiga "
        "frågor för oss",
        [5],
        F.COMMUNICATION,
    ),
]
# (goal, label, measure, activity key for logged targets, target). The figures the plan names:
# a newsletter every month, paid marketing every month, at least one politikerskola, the eleven
# proposed chapter meetings. The rest are the demo board's own choices.
TARGETS = [
    (
        1,
        "Månader med betald marknadsföring i minst två kanaler",
        "campaigns.paid_marketing_months",
        None,
        12,
    ),
    (1, "Debattartiklar och pressmeddelanden", Target.LOGGED, "op_eds", 8),
    (1, "Debatter och seminarier vi deltagit i", Target.LOGGED, "debates", 4),
    (2, "Nya medlemmar", "members.gained", None, 25),
    (2, "Nyhetsbrev till medlemmarna", "newsletters.sent", None, 12),
    (3, "Kretsmöten", "meetings.chapter_meetings_held", None, 11),
    (3, "Tävlingar på Facebook", "campaigns.competitions_held", None, 1),
    (4, "Politikerskolor", "meetings.politikerskola_held", None, 1),
    (4, "Utbildningstillfällen", "meetings.trainings_held", None, 4),
    (5, "Livesända panelsamtal", "campaigns.live_panels_held", None, 3),
]
# (activity key, date, what, who, link). Fictitious.
LOG = [
    (
        "op_eds",
        (2023, 2, 14),
        "Debattartikel om landsbygdens skolor i Arbetarbladet",
        "Helena Granlund",
        "https://example.org/artikel/skolor",
    ),
    ("op_eds", (2023, 4, 3), "Pressmeddelande: nya cykelvägar i Storvik", "Sara Ekström", ""),
    ("op_eds", (2023, 9, 20), "Insändare om äldreomsorgen", "Mats Öberg", ""),
    ("debates", (2023, 5, 11), "Paneldebatt om bostäder på Kulturcentrum", "Stefan Blom", ""),
    ("debates", (2023, 10, 2), "Seminarium om företagsklimatet", "Annika Sundström", ""),
    (
        "competition",
        (2023, 6, 1),
        "Sommartävling: ”Mitt Sandviken” på Facebook",
        "Sara Ekström",
        "",
    ),
    ("media", (2023, 8, 24), "Verksamhetsbesök på en gård i Årsunda", "Annika Sundström", ""),
]
PROGRAMME = [
    (1, "Behålla byskolorna i Årsunda och Järbo", "drivs"),
    (2, "Fler lägenheter för unga hos Sandviken Hus", "uppnadd"),
    (3, "Snabbare bygglov för företagare", "drivs"),
    (4, "Cykelväg mellan Sandviken och Storvik", "ej-paborjad"),
    (5, "Trygg äldreomsorg med fast omsorgskontakt", "drivs"),
]


def adopt() -> None:
    """A database with only the demo's members is the demo's: its plans are marked as the
    demo's (a demo loaded before the marker existed)."""
    Goal.objects.filter(demo=False).update(demo=True)
    Activity.objects.filter(demo=False).update(demo=True)


def load(stdout=None) -> None:
    if Goal.objects.filter(year=YEAR, demo=False).exists():
        # The chapter's own plan for 2023 (load_demo --force): the demo leaves it as it is.
        activities = {}
    else:
        activities = _plan()
    _theme_groups()
    _programme()
    AnnualReport.objects.get_or_create(
        year=YEAR,
        defaults={
            "introduction": "Kretsstyrelsen lämnar härmed sin berättelse över verksamheten "
            "2023, det första året av mandatperioden 2023–2026.",
            "activities_text": "Året präglades av utbildningar för nya förtroendevalda och av "
            "kretsmöten i flera kommundelar.",
            "closing": "Styrelsen tackar alla medlemmar och förtroendevalda för ett engagerat år.",
        },
    )
    this_year = _this_year(activities) if activities else ""
    if stdout:
        stdout.write(
            f"goals: {this_year}plan {YEAR} with {len(GOALS)} goals, {len(ACTIVITIES)} activities, "
            f"{len(TARGETS)} targets"
        )


def _plan() -> dict:
    """The 2023 plan: goals, activities, targets and logged work, all the demo's own rows."""
    goals = {}
    for number, title in GOALS.items():
        goals[number], _ = Goal.objects.update_or_create(
            year=YEAR, number=number, demo=True, defaults={"title": title}
        )
    activities = {}
    for order, (key, title, numbers, function) in enumerate(ACTIVITIES, start=1):
        activity, _ = Activity.objects.update_or_create(
            year=YEAR,
            title=title,
            demo=True,
            defaults={
                "responsible": function,
                "order": order,
                "starts_on": datetime.date(YEAR, 1, 1),
                "ends_on": datetime.date(YEAR, 12, 31),
            },
        )
        activity.goals.set([goals[number] for number in numbers])
        activities[key] = activity
    for order, (number, label, measure, activity_key, value) in enumerate(TARGETS):
        Target.objects.update_or_create(
            goal=goals[number],
            label=label,
            defaults={
                "measure": measure,
                "activity": activities.get(activity_key),
                "target": value,
                "order": order,
            },
        )
    for key, day, what, who, link in LOG:
        LogEntry.objects.get_or_create(
            activity=activities[key],
            happened_on=datetime.date(*day),
            what=what,
            defaults={"who": who, "link": link},
        )
    return activities


# (activity key, days before today, what, who): this year's logged work so far.
LOG_THIS_YEAR = [
    ("op_eds", 40, "Debattartikel om lokala jobb i Arbetarbladet", "Annika Sundström"),
    ("op_eds", 12, "Pressmeddelande: trygga skolvägar i Järbo", "Sara Ekström"),
    ("debates", 25, "Paneldebatt om landsbygdens service", "Johan Berglund"),
]


def _this_year(activities_2023: dict) -> str:
    """Today's year has its own plan, carried over from the previous one the way the board
    does it every January ("kopiera förra årets plan"), and some logged work."""
    year = demo_year()
    if year == YEAR:
        return ""
    if not Goal.objects.filter(year=year).exists():
        previous = Goal.objects.filter(year__lt=year, demo=True).order_by("-year").first()
        if previous is None:  # a clock set before the plan's year
            return ""
        before = set(Activity.objects.filter(year=year).values_list("pk", flat=True))
        services.year_plan_copy(actor=None, from_year=previous.year, to_year=year)
        # The copy is the demo's: the year had no goals, and activities made before stay.
        Goal.objects.filter(year=year).update(demo=True)
        Activity.objects.filter(year=year).exclude(pk__in=before).update(demo=True)
    titles = {key: activity.title for key, activity in activities_2023.items()}
    for key, days_ago, what, who in LOG_THIS_YEAR:
        activity = Activity.objects.filter(year=year, title=titles[key], demo=True).first()
        if activity is None:  # the board renamed or removed it
            continue
        LogEntry.objects.get_or_create(
            activity=activity,
            what=what,
            defaults={"happened_on": days_from_today(-days_ago), "who": who},
        )
    return f"plan {year} copied from the previous plan, "


def _member(email: str) -> Member | None:
    return Member.objects.filter(email=email).first()


def _theme_groups() -> None:
    issues = {
        name: ProfileIssue.objects.get_or_create(name=name)[0]
        for name in ["Landsbygdens skolor", "Företagande", "Boende"]
    }
    communication = _member("kommunikationsansvarig@example.org")
    school, _ = ThemeGroup.objects.get_or_create(
        topic="Skolan i hela kommunen",
        defaults={"leader": _member("helena.granlund@example.org")},
    )
    school.profile_issues.set([issues["Landsbygdens skolor"]])
    school.members.set([m for m in [_member("ledamot@example.org")] if m])
    housing, _ = ThemeGroup.objects.get_or_create(
        topic="Bo och verka i Sandviken", defaults={"leader": _member("stefan.blom@example.org")}
    )
    housing.profile_issues.set([issues["Boende"], issues["Företagande"]])
    documents = [
        (school, "Byskolan är bygdens hjärta", ThemeDocument.Status.PUBLISHED),
        (school, "Skolskjuts i glesbygd", ThemeDocument.Status.SUBMITTED),
        (housing, "Bygglov på tre veckor", ThemeDocument.Status.DRAFT),
    ]
    for group, title, status in documents:
        document, created = ThemeDocument.objects.get_or_create(
            group=group,
            title=title,
            defaults={
                "body": "Centerpartiet i Sandviken vill …",
                "status": status,
                "submitted_at": None,
            },
        )
        if created and status == ThemeDocument.Status.PUBLISHED:
            document.channel, document.published_on = "Facebook", datetime.date(YEAR, 4, 12)
            document.save(update_fields=["channel", "published_on"])
        if created and status != ThemeDocument.Status.DRAFT:
            # Demo history only: these mails were "sent" long ago.
            for kind in ["inlamnad"] + (["publicerad"] if status == "publicerad" else []):
                DocumentEvent.objects.create(
                    document=document,
                    kind=kind,
                    by=communication.user if communication and kind == "publicerad" else None,
                    mailed_at=datetime.datetime(YEAR, 4, 12, tzinfo=datetime.UTC),
                )


def _programme() -> None:
    for number, title, status in PROGRAMME:
        # get_or_create: a chapter's own programme point of that number (load_demo --force)
        # keeps its words; the demo's own are the same on every run.
        point, _ = ProgrammePoint.objects.get_or_create(
            term="2023–2026", number=number, defaults={"title": title, "status": status}
        )
        if number == 1:
            document = ThemeDocument.objects.filter(title="Byskolan är bygdens hjärta").first()
            ProgrammeLink.objects.get_or_create(
                point=point,
                kind=ProgrammeLink.Kind.DOCUMENT,
                title="Byskolan är bygdens hjärta",
                defaults={"document": document},
            )
        if number == 2:
            ProgrammeLink.objects.get_or_create(
                point=point,
                kind=ProgrammeLink.Kind.DECISION,
                title="Sandviken Hus styrelse: 40 ungdomslägenheter",
                defaults={"url": "https://example.org/beslut/ungdomslagenheter"},
            )
