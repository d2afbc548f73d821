"""Reads about people and their roles."""

import datetime

from django.utils import timezone

from krets.rights import NO_RIGHTS, Rights

from .models import BoardAssignment, BoardFunction, BodyAssignment, Member, PartyPosition


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
