"""Fictitious demo data for Sandviken: districts, political bodies, the board and its logins.

Every person here is invented; none of the names in the operating plan is used.
"""

import datetime
import random

from allauth.account.models import EmailAddress
from django.utils import timezone

from krets.demo import DEMO_DOMAIN, days_from_today, demo_today, within_this_month

from .models import (
    BoardAssignment,
    BoardFunction,
    BodyAssignment,
    District,
    Member,
    MemberTask,
    PartyPosition,
    PoliticalBody,
    User,
)

DEMO_PASSWORD = "kretsdemo"
DISTRICTS = [
    "Sandviken",
    "Storvik",
    "Järbo",
    "Årsunda",
    "Österfärnebo",
    "Kungsgården",
    "Åshammar",
    "Gysinge",
]
BODIES = [
    ("Individ- och familjeomsorgsnämnden", PoliticalBody.Kind.COMMITTEE),
    ("Kunskapsnämnden", PoliticalBody.Kind.COMMITTEE),
    ("Sandviken Hus AB", PoliticalBody.Kind.COMPANY),
    ("Kommunstyrelsen", PoliticalBody.Kind.BOARD),
    ("Samhällsbyggnadsnämnden", PoliticalBody.Kind.COMMITTEE),
    ("Kultur- och fritidsnämnden", PoliticalBody.Kind.COMMITTEE),
]
# (function, first name, last name, district, birth year)
BOARD = [
    (BoardFunction.CHAIR, "Eva", "Lindqvist", "Sandviken", 1961),
    (BoardFunction.VICE_CHAIR, "Johan", "Berglund", "Storvik", 1975),
    (BoardFunction.TREASURER, "Birgitta", "Nordin", "Järbo", 1954),
    (BoardFunction.SECRETARY, "Lars", "Hedlund", "Årsunda", 1958),
    (BoardFunction.MEMBERSHIP, "Karin", "Sjöberg", "Sandviken", 1969),
    (BoardFunction.TRAINING, "Per", "Wikström", "Österfärnebo", 1982),
    (BoardFunction.ELECTION, "Ingrid", "Holm", "Kungsgården", 1950),
    (BoardFunction.CAMPAIGN, "Oskar", "Dahl", "Åshammar", 1994),
    (BoardFunction.COMMUNICATION, "Sara", "Ekström", "Sandviken", 1990),
    (BoardFunction.BOARD_MEMBER, "Gunnar", "Forsberg", "Gysinge", 1948),
]
# Logins of the politicians who hold no board function (password DEMO_PASSWORD, as the board's).
POLITICIAN_LOGINS = [
    "kommunalrad@example.org",  # the kommunalråd
    "gruppledare@example.org",  # the council group's gruppledare
    "namndordforande@example.org",  # a committee chair: ordförande of COMMITTEE_CHAIR_SEAT
]
COMMITTEE_CHAIR_SEAT = "Individ- och familjeomsorgsnämnden"


def demo_email(function: str) -> str:
    return f"{function}@example.org"


def _login(member: Member, email: str) -> None:
    user = member.user or User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD)
    user.first_name, user.last_name, user.is_active = member.first_name, member.last_name, True
    user.set_password(DEMO_PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"primary": True, "verified": True}
    )
    if member.user_id != user.pk:
        member.user = user
        member.save(update_fields=["user"])


def _person(first: str, last: str, district: str, birth_year: int, email: str) -> Member:
    member, _ = Member.objects.update_or_create(
        email=email,
        defaults={
            "first_name": first,
            "last_name": last,
            "district": District.objects.get(name=district),
            "birth_date": datetime.date(birth_year, 3, 14),
            "joined_on": datetime.date(2005, 1, 1),
            "town": district,
        },
    )
    return member


def load(stdout=None) -> None:
    for name in DISTRICTS:
        District.objects.get_or_create(name=name)
    bodies = {
        name: PoliticalBody.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in BODIES
    }
    this_year = timezone.localdate().year
    for function, first, last, district, born in BOARD:
        member = _person(first, last, district, born, demo_email(function))
        _login(member, demo_email(function))
        # The board of the plan's year and of this year, so that the demo logins have rights.
        for year in sorted({2023, this_year}):
            BoardAssignment.objects.get_or_create(member=member, function=function, year=year)

    term_start, term_end = datetime.date(2023, 1, 1), datetime.date(2026, 12, 31)
    # The politicians outside the board have logins too (POLITICIAN_LOGINS), none a board function.
    commissioner = _person("Annika", "Sundström", "Sandviken", 1972, "kommunalrad@example.org")
    _login(commissioner, "kommunalrad@example.org")
    group_leader = _person("Maria", "Lönn", "Storvik", 1977, "gruppledare@example.org")
    _login(group_leader, "gruppledare@example.org")
    # Earlier demos made the vice-ordförande the gruppledare as well.
    PartyPosition.objects.filter(
        member__email=demo_email(BoardFunction.VICE_CHAIR), kind=PartyPosition.Kind.GROUP_LEADER
    ).delete()
    for member, kind in [
        (commissioner, PartyPosition.Kind.COMMISSIONER),
        (group_leader, PartyPosition.Kind.GROUP_LEADER),
    ]:
        PartyPosition.objects.get_or_create(
            member=member, kind=kind, defaults={"starts_on": term_start, "ends_on": term_end}
        )
    # The plan's three chairs: Individ- och familjeomsorgsnämnden, Kunskapsnämnden, Sandviken Hus.
    seats = [
        ("Mats", "Öberg", "Storvik", 1966, "Individ- och familjeomsorgsnämnden", "ordforande"),
        ("Helena", "Granlund", "Järbo", 1979, "Kunskapsnämnden", "ordforande"),
        ("Stefan", "Blom", "Sandviken", 1963, "Sandviken Hus AB", "ordforande"),
        ("Annika", "Sundström", "Sandviken", 1972, "Kommunstyrelsen", "ledamot"),
        ("Lena", "Hammar", "Åshammar", 1985, "Samhällsbyggnadsnämnden", "ledamot"),
        ("Jonas", "Ek", "Gysinge", 1991, "Kultur- och fritidsnämnden", "ersattare"),
    ]
    for first, last, district, born, body, role in seats:
        email = f"{first}.{last}@example.org".lower().replace("ö", "o").replace("å", "a")
        if (first, last) == ("Annika", "Sundström"):
            member = commissioner
        else:
            member = _person(first, last, district, born, email)
        BodyAssignment.objects.get_or_create(
            member=member,
            body=bodies[body],
            role=role,
            defaults={"starts_on": term_start, "ends_on": term_end},
        )
        if body == COMMITTEE_CHAIR_SEAT and role == "ordforande":
            _login(member, "namndordforande@example.org")
    registry = _registry()
    if stdout:
        stdout.write(
            f"members: {len(DISTRICTS)} districts, board of {len(BOARD)}, {len(seats)} seats, "
            f"{registry}"
        )


# --- The registry and 2023's dues -------------------------------------------------------------

DEMO_MEMBERS = 300
FIRST_NAMES = [
    "Anders",
    "Anna",
    "Bengt",
    "Britt",
    "Carina",
    "Erik",
    "Gun",
    "Gunilla",
    "Göran",
    "Hans",
    "Inga",
    "Jan",
    "Kerstin",
    "Karl",
    "Lena",
    "Leif",
    "Margareta",
    "Maj",
    "Nils",
    "Olle",
    "Rolf",
    "Siv",
    "Sten",
    "Ulla",
    "Åke",
    "Ebba",
    "Elias",
    "Maja",
    "Noah",
    "Wilma",
]
LAST_NAMES = [
    "Andersson",
    "Berg",
    "Björk",
    "Dahlberg",
    "Eriksson",
    "Falk",
    "Gustafsson",
    "Hägg",
    "Isaksson",
    "Jansson",
    "Karlsson",
    "Larsson",
    "Lind",
    "Mattsson",
    "Nilsson",
    "Norberg",
    "Olsson",
    "Persson",
    "Sandberg",
    "Svensson",
    "Wallin",
    "Åberg",
    "Öhrn",
    "Östlund",
]
# The plan: "the average age is high". Birth decades weighted towards the old.
BIRTH_DECADES = [
    (1930, 6),
    (1940, 22),
    (1950, 28),
    (1960, 18),
    (1970, 10),
    (1980, 7),
    (1990, 5),
    (2000, 4),
]
FIRST_NUMBER = 1001
THIS_YEARS_RECRUITS = 12  # joined in the last weeks, some still to be welcomed


def demo_members():
    """The demo's members: every demo person's address is at the reserved example domain
    (krets.demo.DEMO_DOMAIN). Every bulk write of the demo is filtered to them."""
    return Member.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")


def foreign_members():
    """Members the demo did not create: load_demo refuses to run beside them unless forced."""
    return Member.objects.exclude(email__iendswith=f"@{DEMO_DOMAIN}")


def _demo_member(index: int, rng: random.Random, districts: list[District]) -> Member:
    decade = rng.choices([d for d, _ in BIRTH_DECADES], weights=[w for _, w in BIRTH_DECADES])[0]
    born = datetime.date(decade + rng.randrange(10), rng.randrange(1, 13), rng.randrange(1, 29))
    district = districts[0] if rng.random() < 0.4 else rng.choice(districts)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    joined = datetime.date(rng.randrange(1975, 2023), rng.randrange(1, 13), 1)
    if index > DEMO_MEMBERS - 25:  # recent recruits, some still to be welcomed
        joined = datetime.date(2023, 1, 15) + datetime.timedelta(days=(index % 25) * 12)
    left_on = datetime.date(2023, 6, 30) if index % 37 == 0 else None
    if index > DEMO_MEMBERS:  # this year's recruits
        joined = days_from_today(-5 * (index - DEMO_MEMBERS - 1))
        left_on = None
    # Found by the demo address, never by number: a real member may hold the number. The number
    # is the demo's own where it is free, else the next free one (member_numbers_assign).
    number = FIRST_NUMBER + index - 1
    number_free = index <= DEMO_MEMBERS and not Member.objects.filter(member_number=number).exists()
    values = {
        "first_name": first,
        "last_name": last,
        "phone": f"+46701{index:06d}",
        "birth_date": born,
        "address": f"{rng.choice(['Storgatan', 'Kyrkvägen', 'Skolgatan', 'Bruksgatan'])} "
        f"{rng.randrange(1, 60)}",
        "postcode": f"811 {rng.randrange(30, 99)}",
        "town": district.name,
        "district": district,
        "joined_on": joined,
        "left_on": left_on,
        "leave_reason": "Flyttat" if left_on else "",
        "newsletter_consent": index % 3 != 0,
        "newsletter_consent_on": joined if index % 3 != 0 else None,
        "recruitment_source": "Torgmöte" if index % 11 == 0 else "",
    }
    member, _ = Member.objects.update_or_create(
        email=f"demo.medlem{index}@example.org",
        defaults=values,
        create_defaults={**values, "member_number": number} if number_free else None,
    )
    return member


def _registry() -> str:
    from . import services

    rng = random.Random(2023)
    districts = list(District.objects.filter(name__in=DISTRICTS).order_by("pk"))
    members = [
        _demo_member(i, rng, districts) for i in range(1, DEMO_MEMBERS + THIS_YEARS_RECRUITS + 1)
    ]
    services.member_numbers_assign(members=demo_members())  # the board, the politicians
    history, recruits = members[DEMO_MEMBERS - 25 : DEMO_MEMBERS], members[DEMO_MEMBERS:]
    for member in history:
        # 2023's welcomes are history: done a few days after they were due.
        if member.left_on is None and member.joined_on >= datetime.date(2023, 6, 1):
            due = member.joined_on + datetime.timedelta(days=7)
            MemberTask.objects.update_or_create(
                member=member,
                kind=MemberTask.Kind.WELCOME,
                year=0,
                defaults={"due_on": due, "done_on": due, "method": MemberTask.Method.PHONE},
            )
    for number, member in enumerate(recruits):
        # This year's recruits: the older half welcomed, the newest due this month.
        due = within_this_month(member.joined_on + datetime.timedelta(days=7))
        done = number >= THIS_YEARS_RECRUITS // 2
        MemberTask.objects.update_or_create(
            member=member,
            kind=MemberTask.Kind.WELCOME,
            year=0,
            defaults={
                "due_on": due,
                "done_on": min(due, demo_today()) if done else None,
                "method": MemberTask.Method.PHONE if done else "",
            },
        )
    return f"{len(members)} registry members"
