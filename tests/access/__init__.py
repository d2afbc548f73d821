"""What each role gets from each URL. Every app adds a module here with a RULES dict.

The role sweep (tests/test_url_access.py) walks every URL pattern of the project and fails for
any named pattern that no rule covers, so a new URL needs a decision about who may open it.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from members.models import BoardFunction

ANONYMOUS, MEMBER, ASSIGNMENT = "anonym", "medlem", "uppdrag"
BOARD = frozenset(BoardFunction.values)
SIGNED_IN = frozenset({MEMBER, ASSIGNMENT}) | BOARD
EVERYONE = SIGNED_IN | {ANONYMOUS}
F = BoardFunction


@dataclass(frozen=True)
class Access:
    """Roles in `allowed` get `ok`; other signed-in roles `denied`; anonymous `anonymous`.

    `kwargs` builds what the URL points at (in the test database) and returns the kwargs to
    reverse it with. `ok` may be a dict role -> status where roles differ.
    """

    allowed: frozenset[str]
    ok: int = 200
    denied: int = 403
    anonymous: int = 302
    method: str = "get"
    kwargs: Callable[[], dict] | None = None
    query: str = ""
    per_role: dict[str, int] = field(default_factory=dict)
    anonymous_to_login: bool = True  # anonymous 302s go to the sign-in page

    def expected(self, role: str) -> int:
        if role in self.per_role:
            return self.per_role[role]
        if role in self.allowed:
            return self.ok
        if role == ANONYMOUS:
            return self.anonymous
        return self.denied


def only(*functions: str) -> frozenset[str]:
    return frozenset(functions)


def all_rules() -> dict[str, Access]:
    rules: dict[str, Access] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for name, rule in module.RULES.items():
            assert name not in rules, f"{name} has two rules"
            rules[name] = rule
    return rules
