"""Figures that other apps measure for the goals, registered the way admin.py modules are.

`goals` sits below `meetings` and `campaigns`: those apps import this module and register
their counters in their own `goals_counters.py` (autodiscovered by goals.apps); goals never
imports them. A figure whose app has registered nothing is "not measured", never zero.
Counters about members are read by goals directly from members.selectors (the floor below).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Counter:
    key: str  # e.g. "meetings.trainings_held"
    label: str
    count: Callable[[datetime.date, datetime.date], int]  # inclusive period
    records_url: Callable[[datetime.date, datetime.date], str] | None = None


_counters: dict[str, Counter] = {}


def register(counter: Counter) -> Counter:
    _counters[counter.key] = counter
    return counter


def counter(key: str) -> Counter | None:
    """The registered counter, or None: that figure is not measured (yet)."""
    return _counters.get(key)


def registered() -> dict[str, Counter]:
    return dict(_counters)
