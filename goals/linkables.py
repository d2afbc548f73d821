"""Records of the apps above that the election programme links to, registered like counters.

A programme point is driven by matters and decisions, and those live in `meetings`, a floor
above goals: goals cannot import them. So each app registers the kinds of record it lets the
programme link to, in its own `goals_links.py` (autodiscovered by goals.apps, as
`goals_counters.py` is), and a `ProgrammeLink` stores only the source's key and the record's
id. goals keeps no list of the other apps' keys.

    register(Linkable(
        key="meetings.decision",
        label=_("Beslut i protokoll"),
        kind="beslut",                              # a ProgrammeLink.Kind value
        search=lambda rights, words: [...],          # Found rows this person may see
        resolve=lambda rights, ids: {id: Found, ...},  # only those this person may see
    ))

Both functions take the viewer's rights (krets.rights.Rights): the picker never lists, and the
programme never links, what that person may not see. A record that is gone, or hidden from the
viewer, keeps its stored title without a link.
"""

from collections.abc import Callable
from dataclasses import dataclass

# How many rows one source offers per search: a list to choose from, not a register.
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Found:
    id: int
    title: str  # what the link is called (stored on the link when it is chosen)
    url: str  # where the link goes, for the person it was resolved for
    detail: str = ""  # where it comes from, e.g. the meeting and its date


@dataclass(frozen=True)
class Linkable:
    key: str
    label: str
    kind: str  # the ProgrammeLink.Kind the link is listed as
    search: Callable[..., list[Found]]  # (rights, words) -> at most SEARCH_LIMIT rows
    resolve: Callable[..., dict[int, Found]]  # (rights, ids) -> the visible ones


_sources: dict[str, Linkable] = {}


def register(linkable: Linkable) -> Linkable:
    _sources[linkable.key] = linkable
    return linkable


def source(key: str) -> Linkable | None:
    return _sources.get(key)


def registered() -> list[Linkable]:
    return sorted(_sources.values(), key=lambda linkable: linkable.key)
