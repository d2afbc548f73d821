"""The overview page ("Översikt") gathers panels that each app contributes.

An app adds panels in its own `overview.py`:

    from krets.overview import Panel, register

    @register
    def unpaid_dues(request) -> Panel | None:
        if not request.rights.has(Perm.DUES_VIEW):
            return None
        return Panel(title=..., template="dues/overview/unpaid.html", context={...})
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone, translation

from .versioned import cached

# (provider, daily) in the order of registration, which orders panels of equal `order`.
_providers: list[tuple[Callable, bool]] = []


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def register(provider: Callable | None = None, *, daily: bool = False) -> Callable:
    """`@register`, or `@register(daily=True)` for a panel that depends only on the database,
    the person's rights and today's date: it is then kept in the versioned cache
    (krets/versioned.py) until a table it reads changes, the day turns or the rights change."""

    def add(provider: Callable) -> Callable:
        _providers.append((provider, daily))
        return provider

    return add(provider) if provider is not None else add


def _daily_panels(request) -> list[Panel]:
    """All daily panels as one cached value: one cache read for the lot."""
    rights = request.rights
    scope = (
        f"{request.user.pk}:{sorted(rights.functions)}:{rights.member_id}:"
        f"{rights.has_assignment}:{rights.has_party_position}:"
        f"{timezone.localdate()}:{translation.get_language()}"
    )
    return cached(
        "overview:daily",
        scope,
        lambda: [
            (index, panel)
            for index, (provider, daily) in enumerate(_providers)
            if daily and (panel := provider(request)) is not None
        ],
    )


def panels_for(request) -> list[Panel]:
    panels = [
        (index, panel)
        for index, (provider, daily) in enumerate(_providers)
        if not daily and (panel := provider(request)) is not None
    ]
    panels += _daily_panels(request)
    return [panel for _index, panel in sorted(panels, key=lambda p: (p[1].order, p[0]))]
