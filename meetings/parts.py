"""What apps beside meetings add to a meeting's page, registered the way admin.py modules are.

An app on the top floor cannot be imported by meetings, so it registers a section in its own
`meeting_parts.py` (autodiscovered by meetings.apps):

    from meetings.parts import MeetingPart, Section, register

    register(MeetingPart(
        key="visitors",
        section=lambda meeting, rights: Section("visitors/meeting_section.html", {...}),
    ))

A section returns None when it has nothing to show to that person.
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
class MeetingPart:
    key: str
    section: Callable[..., Section | None]
    order: int = 100


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
