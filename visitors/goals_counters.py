"""The recruitment funnel's figures for the goals (goals/registry.py): a target on one of
these keys shows on the goals dashboard with its records, where each row says where the person
came from. Targets or not, the dashboard also shows the year's funnel as a panel of its own,
split by source (meeting, campaign, form); month by month against the recruitment target it is
/oppet/tratt/."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, Panel, register, register_panel
from krets.rights import Perm

from . import selectors

STEPS = (
    ("visitors.signups", "anmalningar", _("Anmälningar till öppna möten")),
    ("visitors.first_time_attendees", "forsta-gangen", _("Förstagångsbesökare")),
    ("visitors.applications", "ansokningar", _("Medlemsansökningar")),
    ("visitors.members_via_form", "nya-medlemmar", _("Nya medlemmar via Bli medlem")),
)


def records_url(step: str):
    def url(start, end) -> str:
        query = urlencode({"fran": start.isoformat(), "till": end.isoformat()})
        return f"{reverse('visitors:funnel', kwargs={'step': step})}?{query}"

    return url


def _count(step: str):
    return lambda start, end: selectors.FUNNEL[step](start, end).count()


for key, step, label in STEPS:
    register(
        Counter(
            key=key,
            label=label,
            count=_count(step),
            records_url=records_url(step),
            records_permission=Perm.MEMBERS_VIEW,
        )
    )


def _records_link(step: str, start, end, source: str = "") -> str:
    query = {"fran": start.isoformat(), "till": end.isoformat()}
    if source:
        query["kalla"] = source
    return f"{reverse('visitors:funnel', kwargs={'step': step})}?{urlencode(query)}"


def funnel_panel(year: int, rights) -> dict:
    """The year's funnel for the goals dashboard: each step's total and its sources, each
    figure a link to its records for those who may read the registry."""
    today = timezone.localdate()
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), max(today, start))
    links = rights.has(Perm.MEMBERS_VIEW)
    labels = {step: label for _key, step, label in STEPS}
    rows = []
    for row in selectors.funnel_by_source_kind(start, end):
        step = row["step"]
        rows.append(
            {
                "label": labels[step],
                "total": row["total"],
                "url": _records_link(step, start, end) if links else "",
                "sources": [
                    {
                        "label": source.label,
                        "n": n,
                        "url": _records_link(step, start, end, source) if links and n else "",
                    }
                    for source, n in row["by_source"]
                ],
            }
        )
    return {
        "year": year,
        "start": start,
        "end": end,
        "rows": rows,
        "sources": [source.label for source in selectors.SOURCES],
        "months_url": f"{reverse('visitors:funnel_year')}?ar={year}" if links else "",
    }


register_panel(
    Panel(key="visitors.funnel", template="visitors/goals_funnel.html", context=funnel_panel)
)
