"""What apps on the floors above add to the members app's screens, registered the way admin.py
modules are.

`members` is the floor every app builds on, so it imports none of them. An app that has
something to show on a member's page, in "Mina uppgifter", in a register extract, in the
registry's filters or in the board's statistics, or that keeps data the retention job must
erase, says so in its own `member_parts.py` (autodiscovered by members.apps):

    from members.parts import MemberPart, Section, register

    register(MemberPart(
        key="dues",
        member_section=lambda member: Section("dues/member_section.html", {...}),
        data_export=lambda member: {"dues": [...]},
        statistics=lambda year, today: {"dues_count": ...},
    ))

Every hook is optional; a screen shows what the registered parts give, in `order`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import QuerySet


@dataclass(frozen=True)
class Section:
    """A block on a member screen: a template rendered with `section` = context."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MemberPart:
    key: str
    order: int = 100
    # The member's page in the registry (the medlemsansvarig's view).
    member_section: Callable[..., Section | None] | None = None
    # "Mina uppgifter", the member's own page behind a signed link.
    self_service_section: Callable[..., Section | None] | None = None
    # The register extract and the member's own download: extra keys of the JSON.
    data_export: Callable[..., dict] | None = None
    # The board's statistics for a year: extra figures, e.g. {"target": 20}.
    statistics: Callable[[int, datetime.date], dict] | None = None
    # The registry's search form: extra fields, and how their cleaned values narrow the list.
    filter_fields: Callable[[], dict[str, forms.Field]] | None = None
    filter_members: Callable[[QuerySet, dict, datetime.date], QuerySet] | None = None
    # The retention job, after members are anonymised: erase what the app keeps of them.
    retention: Callable[[datetime.date], None] | None = None
    # When one member is anonymised (inside its transaction): erase the free text the app keeps
    # about them (a payer's name, a note), keeping the facts (amounts, dates, references).
    anonymise: Callable[..., None] | None = None
    # The contact list of unpaid dues: what each (member id, dues year) of a page still owes,
    # e.g. {(12, 2023): Decimal("250.00")}, answered for the whole page at once (one query).
    amounts_owed: Callable[[list[tuple[int, int]]], dict[tuple[int, int], Decimal]] | None = None


_parts: dict[str, MemberPart] = {}


def register(part: MemberPart) -> MemberPart:
    _parts[part.key] = part
    return part


def registered() -> list[MemberPart]:
    return sorted(_parts.values(), key=lambda part: (part.order, part.key))


def sections(hook: str, member) -> list[Section]:
    """The sections the parts give for one member on one screen (`member_section` or
    `self_service_section`)."""
    found = []
    for part in registered():
        provider = getattr(part, hook)
        if provider is not None and (section := provider(member)) is not None:
            found.append(section)
    return found


def collected(hook: str, *args) -> dict:
    """The dicts the parts give for one hook (`data_export`, `statistics`), merged."""
    merged: dict = {}
    for part in registered():
        provider = getattr(part, hook)
        if provider is not None:
            merged.update(provider(*args))
    return merged


def amounts_owed(pairs: list[tuple[int, int]]) -> dict[tuple[int, int], Decimal]:
    """What the parts say each (member id, year) owes; an empty dict without a dues part."""
    owed: dict[tuple[int, int], Decimal] = {}
    for part in registered():
        if part.amounts_owed is not None:
            owed.update(part.amounts_owed(pairs))
    return owed
