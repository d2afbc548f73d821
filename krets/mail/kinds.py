"""The kinds of mail apps send through the engine, registered the way admin.py modules are.

An app registers a kind once, at import (from its AppConfig.ready or a module it loads there):

    register(Kind(
        name="members.welcome",
        prepare=lambda params: ...,        # once per chunk: what every recipient shares
        render=lambda prepared, recipient: Rendered(subject=..., text=..., html=...),
        still_wanted=lambda member_ids, params: {...},  # ids that should still get it
    ))
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Recipient:
    """Who a mail is for: an address, the member's id (or None), and what the renderer needs."""

    email: str
    member_id: int | None = None
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


def _everyone(member_ids: list[int], params: dict) -> set[int]:
    return set(member_ids)


def _nothing_shared(params: dict) -> dict:
    return params


def _nothing_to_do(send_id: int) -> None:
    return None


@dataclass(frozen=True)
class Kind:
    name: str
    render: Callable[[Any, Recipient], Rendered]
    # Called once per chunk with the send's params; its result is passed to every render().
    prepare: Callable[[dict], Any] = _nothing_shared
    # Of these member ids, which should still get the mail (not unsubscribed, not left)?
    still_wanted: Callable[[list[int], dict], Iterable[int]] = _everyone
    # Called once when a send has no work left (every row sent, failed, skipped).
    finished: Callable[[int], None] = _nothing_to_do


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no mail kind {name!r} is registered") from None


def autodiscover() -> None:
    """Import every installed app's mail_kinds.py, the way the admin imports admin.py."""
    autodiscover_modules("mail_kinds")
