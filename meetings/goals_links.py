"""What the election programme may link to in meetings (see goals/linkables.py): decisions in
the minutes (by §, and the older ones without §) and the decision group's matters. Every
search and every link goes through the same "who may see this" as the meetings pages."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.linkables import SEARCH_LIMIT, Found, Linkable, register
from krets.rights import Perm, Rights
from krets.templatetags.krets_format import sv_date

from . import selectors
from .models import Matter, MinutesDecision, MinutesParagraph


def _short(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


def _decision_url(rights: Rights, meeting_id: int, anchor: str) -> str:
    # The decisions page is for the board and the politicians (each sees the decisions of the
    # meetings they may see); others get the title without a link.
    if not rights.has(Perm.MINUTES_DECISIONS_VIEW):
        return ""
    return f"{reverse('meetings:decisions')}?mote={meeting_id}#{anchor}"


def _paragraph(rights: Rights, p: MinutesParagraph) -> Found:
    return Found(
        id=p.pk,
        title=_short(f"{p.meeting.title} § {p.number}: {p.decision}", 200),
        url=_decision_url(rights, p.meeting_id, f"beslut-{p.pk}"),
        detail=sv_date(p.meeting.starts_at),
    )


def _older(rights: Rights, d: MinutesDecision) -> Found:
    return Found(
        id=d.pk,
        title=_short(f"{d.meeting.title}: {d.text}", 200),
        url=_decision_url(rights, d.meeting_id, f"tidigare-beslut-{d.pk}"),
        detail=sv_date(d.meeting.starts_at),
    )


register(
    Linkable(
        key="meetings.decision",
        label=_("Beslut i protokoll"),
        kind="beslut",
        search=lambda rights, words: [
            _paragraph(rights, p) for p in selectors.decisions_search(rights, words)[:SEARCH_LIMIT]
        ],
        resolve=lambda rights, ids: {
            p.pk: _paragraph(rights, p)
            for p in selectors.decisions_search(rights).filter(pk__in=ids)
        },
    )
)
register(
    Linkable(
        key="meetings.older_decision",
        label=_("Beslut i äldre protokoll (utan §)"),
        kind="beslut",
        search=lambda rights, words: [
            _older(rights, d) for d in selectors.old_decisions_search(rights, words)[:SEARCH_LIMIT]
        ],
        resolve=lambda rights, ids: {
            d.pk: _older(rights, d)
            for d in selectors.old_decisions_search(rights).filter(pk__in=ids)
        },
    )
)


def _matters(rights: Rights):
    if not rights.has(Perm.DECISIONS_VIEW) and rights.member_id is None:
        return Matter.objects.none()  # no seat to sit in
    return selectors.matters_visible_to(rights).order_by("-created_at", "-pk")


def _matter(matter: Matter) -> Found:
    return Found(
        id=matter.pk,
        title=_short(matter.title, 200),
        url=reverse("meetings:matter", kwargs={"pk": matter.pk}),
        detail=f"{matter.body} · {sv_date(matter.created_at)}",
    )


def _search_matters(rights: Rights, words: str) -> list[Found]:
    matters = _matters(rights)
    for word in words.split()[:8]:
        matters = matters.filter(Q(title__icontains=word) | Q(description__icontains=word))
    return [_matter(matter) for matter in matters[:SEARCH_LIMIT]]


register(
    Linkable(
        key="meetings.matter",
        label=_("Ärenden i beslutsgruppen"),
        kind="arende",
        search=_search_matters,
        resolve=lambda rights, ids: {m.pk: _matter(m) for m in _matters(rights).filter(pk__in=ids)},
    )
)
