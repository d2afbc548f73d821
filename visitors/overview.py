"""The open doors on "Översikt": applications waiting, links to contacts and the funnel."""

from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm

from .selectors import pending_applications


@register(daily=True)
def open_doors(request) -> Panel | None:
    if not request.rights.has(Perm.MEMBERS_VIEW):
        return None
    can_decide = request.rights.has(Perm.MEMBERS_CHANGE)
    return Panel(
        title=_("Öppna dörrar"),
        template="visitors/overview.html",
        context={
            # One query: the overview pins its total (tests/test_krets_overview.py).
            "pending": pending_applications().count() if can_decide else 0,
            "can_decide": can_decide,
        },
        order=15,
    )
