"""Fictitious demo data for Sandviken: districts, political bodies, the board and its logins.

Every person here is invented; none of the names in the operating plan is used.
"""

import datetime

from allauth.account.models import EmailAddress
from django.utils import timezone

from .models import (
    BoardAssignment,
    BoardFunction,
    BodyAssignment,
    District,
    Member,
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
    commissioner = _person("Annika", "Sundström", "Sandviken", 1972, "kommunalrad@example.org")
    _login(commissioner, "kommunalrad@example.org")
    group_leader = Member.objects.get(email=demo_email(BoardFunction.VICE_CHAIR))
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
    if stdout:
        stdout.write(
            f"members: {len(DISTRICTS)} districts, board of {len(BOARD)}, {len(seats)} seats"
        )
