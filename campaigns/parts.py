"""What apps above campaigns add to a campaign's page, registered the way admin.py modules are.

An app on a higher floor cannot be imported by campaigns, so it registers a section in its own
`campaign_parts.py` (autodiscovered by campaigns.apps):

    from campaigns.parts import CampaignPart, Section, register

    register(CampaignPart(
        key="visitors",
        section=lambda campaign, rights: Section("visitors/campaign_section.html", {...}),
    ))

A section returns None when it has nothing to show to that person.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A block on the campaign's page: a template rendered with `section` = context."""

    template: str
    context: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CampaignPart:
    key: str
    section: Callable[..., Section | None]
    order: int = 100


_parts: dict[str, CampaignPart] = {}


def register(part: CampaignPart) -> CampaignPart:
    _parts[part.key] = part
    return part


def sections(campaign, rights) -> list[Section]:
    found = []
    for part in sorted(_parts.values(), key=lambda part: (part.order, part.key)):
        if (section := part.section(campaign, rights)) is not None:
            found.append(section)
    return found
