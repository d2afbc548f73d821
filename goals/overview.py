from collections import Counter

from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm

from .models import ThemeDocument, ThemeGroup
from .selectors import default_year, year_progress


def goals_status_context() -> dict:
    year = default_year()
    statuses = Counter(
        figure.status for goal in year_progress(year, details=False) for figure in goal.figures
    )
    return {"year": year, "statuses": statuses, "total": sum(statuses.values())}


@register
def goals_status(request) -> Panel | None:
    """How many of the year's targets are reached, on track, behind or not measured.

    Counting every target takes about ten queries, so the panel loads after the page (htmx,
    goals:overview_status) and the overview itself stays within its query budget."""
    if not request.rights.has(Perm.GOALS_VIEW):
        return None
    return Panel(
        title=_("Årets mål"),
        template="goals/overview/status.html",
        context={"lazy": True},
        order=30,
    )


@register(daily=True)
def documents_to_publish(request) -> Panel | None:
    if not request.rights.has(Perm.PUBLISH):
        return None
    documents = list(
        ThemeDocument.objects.filter(status=ThemeDocument.Status.SUBMITTED).select_related("group")[
            :10
        ]
    )
    if not documents:
        return None
    return Panel(
        title=_("Temagruppsdokument att publicera"),
        template="goals/overview/documents.html",
        context={"documents": documents},
        order=40,
    )


@register(daily=True)
def my_theme_groups(request) -> Panel | None:
    """A group's leader may have no board function, so no menu entry: they start here."""
    if request.rights.member_id is None:
        return None
    groups = list(ThemeGroup.objects.filter(leader_id=request.rights.member_id))
    if not groups:
        return None
    return Panel(
        title=_("Temagrupper du leder"),
        template="goals/overview/my_groups.html",
        context={"groups": groups},
        order=20,
    )
