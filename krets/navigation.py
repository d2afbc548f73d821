"""The main menu: each section shows only to those whose rights reach it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from .rights import Perm


@dataclass(frozen=True)
class Section:
    title: str
    url_name: str
    any_of: frozenset[Perm]  # empty: everyone signed in
    # Not shown to those with any of these: they reach the page through another section.
    unless: frozenset[Perm] = frozenset()


SECTIONS = [
    Section(_("Översikt"), "overview", frozenset()),
    Section(_("Medlemmar"), "members:list", frozenset({Perm.MEMBERS_VIEW, Perm.WELCOME_VIEW})),
    Section(_("Avgifter"), "dues:index", frozenset({Perm.DUES_VIEW})),
    Section(_("Möten"), "meetings:index", frozenset({Perm.MEETINGS_VIEW, Perm.KIT_BOOK})),
    Section(_("Mål"), "goals:index", frozenset({Perm.GOALS_VIEW})),
    # Politicians without a board function read the election programme, not the goals.
    Section(
        _("Valprogram"),
        "goals:programme",
        frozenset({Perm.PROGRAMME_VIEW}),
        unless=frozenset({Perm.GOALS_VIEW}),
    ),
    Section(_("Kampanjer"), "campaigns:index", frozenset({Perm.CAMPAIGNS_VIEW})),
    Section(_("Nyhetsbrev"), "newsletters:index", frozenset({Perm.COMMUNICATION_VIEW})),
    Section(_("Styrelsen"), "members:board", frozenset({Perm.BOARD_MANAGE})),
    Section(_("Logg"), "audit_log", frozenset({Perm.AUDIT_VIEW})),
]


def navigation_for(request) -> list[dict]:
    if not request.user.is_authenticated:
        return []
    items = []
    for section in SECTIONS:
        if section.any_of and not any(request.rights.has(p) for p in section.any_of):
            continue
        if any(request.rights.has(p) for p in section.unless):
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:  # the section's app is not built yet
            continue
        # The overview is "/": every path starts with it, so it is active only on itself.
        active = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"title": section.title, "url": url, "active": active})
    return items
