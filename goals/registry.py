"""Figures that other apps measure for the goals, registered the way admin.py modules are.

`goals` sits below `meetings`, `campaigns` and `newsletters`: those apps import this module
and register their counters in their own `goals_counters.py` (autodiscovered by goals.apps);
goals never imports them and keeps no list of their keys. Each counter owns its label and its
place in the annual report. A target on a figure nobody registers is "not measured", never
zero. Counters about members are read by goals directly (goals/goals_counters.py).

    register(Counter(
        key="meetings.chapter_meetings_held",
        label=_("Kretsmöten hållna"),
        count=lambda start, end: ...,              # inclusive period
        records_url=lambda start, end: reverse(...) + f"?fran={start}&till={end}",
        by_district=lambda start, end: {"Storvik": 2, ...},   # optional
        district_records_url=lambda start, end, district: ...,  # optional, with by_district
        report_order=10,                           # optional: a row of the annual report
    ))

A panel is a block of its own on the goals dashboard (/mal/) that an app above contributes,
whether or not the plan has targets on its figures (visitors: the recruitment funnel):

    register_panel(Panel(
        key="visitors.funnel",
        template="visitors/goals_funnel.html",      # rendered with `panel` = context
        context=lambda year, rights: {...},         # None: nothing to show that person
    ))
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

Period = tuple[datetime.date, datetime.date]


@dataclass(frozen=True)
class Counter:
    key: str  # e.g. "meetings.trainings_held"
    label: str
    count: Callable[[datetime.date, datetime.date], int]  # inclusive period
    records_url: Callable[[datetime.date, datetime.date], str] | None = None
    # Optional: the same figure per district (kommundel name -> count), e.g. chapter meetings.
    by_district: Callable[[datetime.date, datetime.date], dict[str, int]] | None = None
    # Optional: the link behind one district's figure (the district as by_district names it):
    # the same rows as records_url, of that district only.
    district_records_url: Callable[[datetime.date, datetime.date, str], str] | None = None
    # Optional: the right (a krets.rights.Perm) needed to open records_url; the link is
    # hidden from those without it. None: every board member may open it.
    records_permission: str | None = None
    # Optional: the figure's row in the annual report, in this order; None: not in the report.
    report_order: int | None = None


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
    """The counter's own label; the key itself when nobody has registered it."""
    found = _counters.get(key)
    return str(found.label) if found else key


def district_urls(found: Counter, start, end, districts: dict[str, int] | None) -> dict[str, str]:
    """Each district's link, for the districts the counter's by_district named."""
    if not districts or found.district_records_url is None:
        return {}
    return {name: found.district_records_url(start, end, name) for name in districts}


def in_report() -> list[Counter]:
    """The counters that are a row of the annual report, in their order."""
    rows = [c for c in _counters.values() if c.report_order is not None]
    return sorted(rows, key=lambda c: (c.report_order, c.key))


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    context: Callable[..., dict | None]  # (year, rights) -> what the template sees, or None
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> Panel:
    _panels[panel.key] = panel
    return panel


def panels(year: int, rights) -> list[ShownPanel]:
    """The registered panels with something to show this person for this year, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda panel: (panel.order, panel.key)):
        if (context := panel.context(year, rights)) is not None:
            shown.append(ShownPanel(panel.template, context))
    return shown
