"""The kinds of mail apps send through the engine, registered the way admin.py modules are.

Each app that sends mail has a `mail_kinds.py` (imported at start-up by `autodiscover`, from
KretsConfig.ready, the app the engine belongs to) that registers its kinds:

    register(Kind(
        name="members.welcome",
        template="members/email/welcome",  # _subject.txt, .txt, .html (krets/mail/messages.py)
        context=lambda prepared, recipient: {...},  # what the templates see, per recipient
        prepare=lambda params: ...,        # optional: once per chunk, what recipients share
        headers=lambda context: {...},     # optional: extra headers (List-Unsubscribe)
        attachments=lambda context: [...],  # optional: Attachment(filename, bytes, type)
        still_wanted=lambda member_ids, params: {...},  # optional: ids that should still get it
    ))

A kind never builds a message itself: krets.mail.messages renders every kind.
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
    attachments: tuple["Attachment", ...] = ()


@dataclass(frozen=True)
class Attachment:
    """A file a mail carries: its name, its bytes and its full Content-Type (parameters too,
    e.g. `text/calendar; method=PUBLISH; charset=utf-8`)."""

    filename: str
    content: bytes
    content_type: str


def _everyone(member_ids: list[int], params: dict) -> set[int]:
    return set(member_ids)


def _nothing_shared(params: dict) -> dict:
    return params


def _nothing_to_do(send_id: int) -> None:
    return None


def _no_headers(context: dict) -> dict[str, str]:
    return {}


def _no_attachments(context: dict) -> list["Attachment"]:
    return []


def _no_page(params: dict) -> str:
    return ""


@dataclass(frozen=True)
class Kind:
    name: str
    template: str  # the template set, e.g. "meetings/email/invitation"
    # What the templates see for one recipient, given what prepare() returned for the chunk.
    context: Callable[[Any, Recipient], dict]
    # Called once per chunk with the send's params; its result is passed to every render().
    prepare: Callable[[dict], Any] = _nothing_shared
    # Of these member ids, which should still get the mail (not unsubscribed, not left)?
    still_wanted: Callable[[list[int], dict], Iterable[int]] = _everyone
    # Called once when a send has no work left (every row sent, failed, skipped).
    finished: Callable[[int], None] = _nothing_to_do
    # Extra headers of one recipient's mail, from the context the templates saw.
    headers: Callable[[dict], dict[str, str]] = _no_headers
    # Files one recipient's mail carries (a meeting's .ics), from the same context.
    attachments: Callable[[dict], Iterable[Attachment]] = _no_attachments
    # What the sender calls it ("Inbjudan till möte") and the page that shows the send, for
    # the overview when the mail server fails.
    label: str = ""
    page: Callable[[dict], str] = _no_page


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
