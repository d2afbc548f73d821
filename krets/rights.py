"""Who may do what: the rights of each board function, written once.

Rights follow from the current year's board functions (BoardFunction below, held for a year
through members.BoardAssignment) and from holding a political assignment. The functions are
defined here, in the core, so that the rights table reads them without importing an app;
members.models re-exports them. Every view declares what it needs, with `@requires(...)`
on a function view, `permission = ...` on a class-based view (`PermissionRequiredMixin`), or
`@public` / `@login_only`; `krets.middleware.AccessMiddleware` refuses a view of the
project's apps that declares nothing. Object-level rules (a vote in the decision group, the
member's own data) are checked by each app's fetch-and-authorise helpers.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class BoardFunction(models.TextChoices):
    """The fixed jobs on the chapter board (fasta uppdrag), as in the operating plan."""

    CHAIR = "ordforande", _("Ordförande")
    VICE_CHAIR = "vice-ordforande", _("Vice ordförande")
    TREASURER = "kassor", _("Kassör")
    SECRETARY = "sekreterare", _("Sekreterare")
    MEMBERSHIP = "medlemsansvarig", _("Medlemsansvarig")
    TRAINING = "utbildningsansvarig", _("Utbildningsansvarig")
    ELECTION = "valansvarig", _("Valansvarig")
    CAMPAIGN = "kampanjansvarig", _("Kampanjansvarig")
    COMMUNICATION = "kommunikationsansvarig", _("Kommunikationsansvarig")
    BOARD_MEMBER = "ledamot", _("Ledamot")


class Perm(StrEnum):
    MEMBERS_NAMES = "members.names"  # names only, e.g. to take attendance
    MEMBERS_VIEW = "members.view"  # the registry with contact details
    MEMBERS_CHANGE = "members.change"
    WELCOME_VIEW = "welcome.view"  # new members to welcome, unpaid to contact
    WELCOME_CHANGE = "welcome.change"
    STATISTICS_VIEW = "statistics.view"
    DUES_VIEW = "dues.view"
    DUES_CHANGE = "dues.change"
    DUES_EXPORT = "dues.export"
    MEETINGS_VIEW = "meetings.view"
    MEETINGS_CHANGE = "meetings.change"  # meetings, agendas, minutes, attendance
    TRAININGS_VIEW = "trainings.view"
    TRAININGS_CHANGE = "trainings.change"
    GOALS_VIEW = "goals.view"
    GOALS_CHANGE = "goals.change"
    CAMPAIGNS_VIEW = "campaigns.view"
    CAMPAIGNS_CHANGE = "campaigns.change"  # campaigns and paid marketing
    COMMUNICATION_VIEW = "communication.view"
    COMMUNICATION_CHANGE = "communication.change"  # newsletters, social media, press
    PUBLISH = "communication.publish"  # publish or return content: the kommunikationsansvarig only
    DECISIONS_VIEW = "decisions.view"
    KIT_BOOK = "kit.book"  # the chapter's conference kit
    PROGRAMME_VIEW = "programme.view"  # the election programme (valprogram), to read
    # The decisions in the minutes (/moten/beslut/), of the meetings the person may see: the
    # board, and the politicians who must drive the programme that links to them.
    MINUTES_DECISIONS_VIEW = "meetings.decisions"
    BOARD_MANAGE = "board.manage"  # invite people, assign board functions, end accounts
    AUDIT_VIEW = "audit.view"
    # See and lift suppressed addresses (mail no longer goes there): the
    # kommunikationsansvarig and the ordförande.
    SUPPRESSIONS_CHANGE = "mail.suppressions"


# What each right lets a person do, as the 403 page says it ("you may not ...").
PERM_LABELS: dict[Perm, str] = {
    Perm.MEMBERS_NAMES: _("se medlemmarnas namn"),
    Perm.MEMBERS_VIEW: _("läsa medlemsregistret med kontaktuppgifter"),
    Perm.MEMBERS_CHANGE: _("ändra i medlemsregistret"),
    Perm.WELCOME_VIEW: _("se nya medlemmar att välkomna och medlemmar att kontakta"),
    Perm.WELCOME_CHANGE: _("bocka av välkomnande och kontakter med medlemmar"),
    Perm.STATISTICS_VIEW: _("se medlemsstatistiken"),
    Perm.DUES_VIEW: _("se medlemsavgifter och betalningar"),
    Perm.DUES_CHANGE: _("hantera medlemsavgifter och betalningar"),
    Perm.DUES_EXPORT: _("exportera medlemsavgifter"),
    Perm.MEETINGS_VIEW: _("se möten, dagordningar och protokoll"),
    Perm.MEETINGS_CHANGE: _("ändra möten, dagordningar, protokoll och närvaro"),
    Perm.TRAININGS_VIEW: _("se utbildningar"),
    Perm.TRAININGS_CHANGE: _("ändra utbildningar"),
    Perm.GOALS_VIEW: _("se årets mål och aktiviteter"),
    Perm.GOALS_CHANGE: _("ändra årets mål och aktiviteter"),
    Perm.CAMPAIGNS_VIEW: _("se kampanjer och marknadsföring"),
    Perm.CAMPAIGNS_CHANGE: _("ändra kampanjer och marknadsföring"),
    Perm.COMMUNICATION_VIEW: _("se nyhetsbrev och kommunikation"),
    Perm.COMMUNICATION_CHANGE: _("skriva och skicka nyhetsbrev och kommunikation"),
    Perm.PUBLISH: _("publicera eller returnera innehåll"),
    Perm.DECISIONS_VIEW: _("se beslutsgruppens ärenden"),
    Perm.KIT_BOOK: _("boka konferensutrustningen"),
    Perm.PROGRAMME_VIEW: _("läsa valprogrammet"),
    Perm.MINUTES_DECISIONS_VIEW: _("söka bland besluten i protokollen"),
    Perm.BOARD_MANAGE: _("bjuda in personer och tilldela styrelseuppdrag"),
    Perm.AUDIT_VIEW: _("läsa loggen"),
}

F = BoardFunction
# What every board function may read: the board's shared work, but not the registry.
BOARD = frozenset(
    {
        Perm.WELCOME_VIEW,
        Perm.STATISTICS_VIEW,
        Perm.MEETINGS_VIEW,
        Perm.TRAININGS_VIEW,
        Perm.GOALS_VIEW,
        Perm.CAMPAIGNS_VIEW,
        Perm.COMMUNICATION_VIEW,
        Perm.DECISIONS_VIEW,
        Perm.KIT_BOOK,
        Perm.PROGRAMME_VIEW,
        Perm.MINUTES_DECISIONS_VIEW,
    }
)
# The default rights table of DOMAIN.md. The ordförande sees and changes everything, except
# publishing, which the plan gives to the kommunikationsansvarig alone.
FUNCTION_RIGHTS: dict[str, frozenset[Perm]] = {
    F.CHAIR: frozenset(Perm) - {Perm.PUBLISH},
    F.VICE_CHAIR: BOARD | {Perm.MEMBERS_NAMES, Perm.MEMBERS_VIEW, Perm.GOALS_CHANGE},
    F.TREASURER: BOARD
    | {Perm.MEMBERS_NAMES, Perm.MEMBERS_VIEW, Perm.DUES_VIEW, Perm.DUES_CHANGE, Perm.DUES_EXPORT},
    F.SECRETARY: BOARD | {Perm.MEMBERS_NAMES, Perm.MEETINGS_CHANGE},
    F.MEMBERSHIP: BOARD
    | {Perm.MEMBERS_NAMES, Perm.MEMBERS_VIEW, Perm.MEMBERS_CHANGE, Perm.WELCOME_CHANGE},
    F.TRAINING: BOARD | {Perm.TRAININGS_CHANGE},
    F.ELECTION: BOARD | {Perm.CAMPAIGNS_CHANGE},
    F.CAMPAIGN: BOARD | {Perm.CAMPAIGNS_CHANGE},
    F.COMMUNICATION: BOARD | {Perm.COMMUNICATION_CHANGE, Perm.PUBLISH, Perm.SUPPRESSIONS_CHANGE},
    F.BOARD_MEMBER: BOARD,
}
# Politicians: members with a seat in a political body, the kommunalråd and the gruppledare.
# Without a board function they book the kit, see the council group's meetings and their
# decision-group matters (meetings.selectors), read the election programme and search the
# decisions of the meetings they see (the programme links to them), never the registry.
ASSIGNMENT_RIGHTS = frozenset({Perm.KIT_BOOK, Perm.PROGRAMME_VIEW, Perm.MINUTES_DECISIONS_VIEW})


@dataclass(frozen=True)
class Rights:
    """What one signed-in person may do, derived once per request."""

    functions: frozenset[str] = frozenset()
    has_assignment: bool = False
    member_id: int | None = None
    # A current party position: kommunalråd or gruppledare (members.PartyPosition).
    has_party_position: bool = False
    perms: frozenset[Perm] = field(init=False)

    def __post_init__(self):
        perms: set[Perm] = set()
        for function in self.functions:
            perms |= FUNCTION_RIGHTS[function]
        if self.is_politician:
            perms |= ASSIGNMENT_RIGHTS
        object.__setattr__(self, "perms", frozenset(perms))

    @property
    def is_board(self) -> bool:
        return bool(self.functions)

    @property
    def is_politician(self) -> bool:
        return self.has_assignment or self.has_party_position

    def has(self, *perms: Perm) -> bool:
        return all(perm in self.perms for perm in perms)

    def require(self, *perms: Perm) -> None:
        missing = [perm for perm in perms if perm not in self.perms]
        if missing:
            raise RightMissing(missing)


NO_RIGHTS = Rights()


class RightMissing(PermissionDenied):
    """Refused for want of these rights; the 403 page names them and who holds them."""

    def __init__(self, perms: Iterable[Perm]):
        self.perms = tuple(perms)
        super().__init__(", ".join(self.perms))


def functions_with(perm: Perm) -> list[str]:
    """The board functions that hold a right, in the order of BoardFunction."""
    return [function for function in F.values if perm in FUNCTION_RIGHTS[function]]


def requires(*perms: Perm) -> Callable:
    """Decorate a function view: signed in, with every one of these rights."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.rights.require(*perms)
            return view(request, *args, **kwargs)

        wrapped.required_permissions = frozenset(perms)
        return wrapped

    return decorator


def public(view):
    """Mark a view that anybody may open without signing in (the allowlist)."""
    view.krets_public = True
    return view


def login_only(view):
    """Mark a view any signed-in person may open (their own account, the overview)."""
    view.required_permissions = frozenset()
    return view


class PermissionRequiredMixin:
    """For class-based views: `permission` is a Perm or an iterable of them."""

    permission: Perm | Iterable[Perm]

    def dispatch(self, request, *args, **kwargs):
        request.rights.require(*declared_permissions(self))
        return super().dispatch(request, *args, **kwargs)


def declared_permissions(view) -> frozenset[Perm] | None:
    """What a view (function or class) says it needs; None when it says nothing."""
    if getattr(view, "krets_public", False):
        return frozenset()
    if hasattr(view, "required_permissions"):
        return view.required_permissions
    view_class = getattr(view, "view_class", view)
    permission = getattr(view_class, "permission", None)
    if permission is None:
        return None
    return frozenset([permission] if isinstance(permission, Perm) else permission)
