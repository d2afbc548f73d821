"""The recruitment funnel's figures for the goals (goals/registry.py): a target on one of
these keys shows on the goals dashboard with its records, where each row says where the person
came from. The month-by-month funnel against the recruitment target is /oppet/tratt/."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
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
