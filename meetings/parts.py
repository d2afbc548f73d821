"""What apps beside meetings add to a meeting's page, registered the way admin.py modules are.

An app on the top floor cannot be imported by meetings, so it registers a section in its own
`meeting_parts.py` (autodiscovered by meetings.apps):

    from meetings.parts import MeetingPart, Section, register

    register(MeetingPart(
        key="visitors",
        section=lambda meeting, rights: Section("visitors/meeting_section.html", {...}),
    ))

A section returns None when it has nothing to show to that person.

A part may also hear when a meeting is moved or cancelled (`changed`): meetings calls it from
meeting_notices_send, inside the change's transaction, with what changed and which members
the meetings notice already mails, so the part can tell its own people (visitors: those who
signed up) without mailing anyone twice.

A part may also know people who were present (`present`: (member id or None, name) pairs, e.g.
visitors' ticked sign-ups), so the meeting's count and the protocol's list include them; a
member already recorded by meetings is not counted twice.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A block on the meeting's page: a template rendered with `section` = context."""

    template: str
    context: dict = field(default_factory=dict)
    # How many people the section lists, when it lists any: the page's read is then logged
    # (krets.reads) with that count.
    rows: int | None = None


@dataclass(frozen=True)
class Change:
    """A meeting was moved or cancelled. `changes` holds "cancelled", "time" and/or "place";
    `before` the old times (ISO) and place; `notified` the members (ids and lower-case
    addresses) the meetings notice goes to."""

    meeting: object
    changes: tuple[str, ...]
    before: dict
    notified_member_ids: frozenset[int]
    notified_emails: frozenset[str]
    actor: object = None


@dataclass(frozen=True)
class MeetingPart:
    key: str
    section: Callable[..., Section | None]
    order: int = 100
    changed: Callable[[Change], None] | None = None
    present: Callable[[object], list[tuple[int | None, str]]] | None = None


_parts: dict[str, MeetingPart] = {}


def register(part: MeetingPart) -> MeetingPart:
    _parts[part.key] = part
    return part


def sections(meeting, rights) -> list[Section]:
    found = []
    for part in sorted(_parts.values(), key=lambda part: (part.order, part.key)):
        if (section := part.section(meeting, rights)) is not None:
            found.append(section)
    return found


def present(meeting) -> list[tuple[int | None, str]]:
    found = []
    for part in sorted(_parts.values(), key=lambda part: (part.order, part.key)):
        if part.present is not None:
            found.extend(part.present(meeting))
    return found


def meeting_changed(change: Change) -> None:
    for part in sorted(_parts.values(), key=lambda part: (part.order, part.key)):
        if part.changed is not None:
            part.changed(change)
