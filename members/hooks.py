"""What floors above may supply to the members app without members importing them.

The year's recruitment target belongs to the year's plan (goals: a Target measured by
"members.gained"); the board's member statistics show it. Goals registers its reader here
(goals/goals_counters.py), so members never imports goals.
"""

from collections.abc import Callable

_recruitment_target: Callable[[int], int | None] | None = None


def provide_recruitment_target(reader: Callable[[int], int | None]) -> None:
    global _recruitment_target
    _recruitment_target = reader


def recruitment_target(year: int) -> int | None:
    """The year's target for new members, or None when no plan sets one."""
    return _recruitment_target(year) if _recruitment_target is not None else None
