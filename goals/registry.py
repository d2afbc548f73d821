"""Figures that other apps measure for the goals, registered the way admin.py modules are.

`goals` sits below `meetings` and `campaigns`: those apps import this module and register
their counters in their own `goals_counters.py` (autodiscovered by goals.apps); goals never
imports them. A figure whose app has registered nothing is "not measured", never zero.
Counters about members are read by goals directly (goals/goals_counters.py registers them).

    register(Counter(
        key="meetings.chapter_meetings_held",
        label=_("Kretsmöten hållna"),
        count=lambda start, end: ...,              # inclusive period
        records_url=lambda start, end: reverse(...) + f"?fran={start}&till={end}",
        by_district=lambda start, end: {"Storvik": 2, ...},   # optional
    ))
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

Period = tuple[datetime.date, datetime.date]


@dataclass(frozen=True)
class Counter:
    key: str  # e.g. "meetings.trainings_held"
    label: str
    count: Callable[[datetime.date, datetime.date], int]  # inclusive period
    records_url: Callable[[datetime.date, datetime.date], str] | None = None
    # Optional: the same figure per district (kommundel name -> count), e.g. chapter meetings.
    by_district: Callable[[datetime.date, datetime.date], dict[str, int]] | None = None
    # Optional: the right (a krets.rights.Perm) needed to open records_url; the link is
    # hidden from those without it. None: every board member may open it.
    records_permission: str | None = None


# The figures the plan measures, with the label shown while nobody has registered them yet.
# Targets can only be set on these keys (and on logged entries of an activity).
KNOWN: dict[str, str] = {
    "members.gained": _("Nya medlemmar"),
    "meetings.trainings_held": _("Utbildningar hållna"),
    "meetings.training_participants": _("Deltagare på utbildningar"),
    "meetings.politikerskola_held": _("Politikerskolor hållna"),
    "meetings.chapter_meetings_held": _("Kretsmöten hållna"),
    "newsletters.sent": _("Nyhetsbrev skickade"),
    "campaigns.campaigns_held": _("Kampanjer genomförda"),
    "campaigns.paid_marketing_months": _("Månader med betald marknadsföring i minst två kanaler"),
    "campaigns.live_panels_held": _("Livesända panelsamtal"),
}

_counters: dict[str, Counter] = {}


def register(counter: Counter) -> Counter:
    _counters[counter.key] = counter
    return counter


def counter(key: str) -> Counter | None:
    """The registered counter, or None: that figure is not measured (yet)."""
    return _counters.get(key)


def registered() -> dict[str, Counter]:
    return dict(_counters)


def label(key: str) -> str:
    found = _counters.get(key)
    return str(found.label) if found else str(KNOWN.get(key, key))
