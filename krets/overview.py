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

_providers: list[Callable] = []


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def register(provider: Callable) -> Callable:
    _providers.append(provider)
    return provider


def panels_for(request) -> list[Panel]:
    panels = [panel for provider in _providers if (panel := provider(request)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
