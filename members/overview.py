from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm

from .models import BoardFunction
from .selectors import current_year, open_tasks


@register
def my_functions(request) -> Panel | None:
    if not request.rights.is_board:
        return None
    year = current_year()
    # The request's rights already know this year's functions: no query.
    labels = [label for value, label in BoardFunction.choices if value in request.rights.functions]
    return Panel(
        title=_("Dina uppdrag %(year)s") % {"year": year},
        template="members/overview/functions.html",
        context={"functions": labels},
        order=0,
    )


@register(daily=True)
def members_to_contact(request) -> Panel | None:
    """Whom the medlemsansvarig should welcome, and whom to contact about dues."""
    if not request.rights.has(Perm.WELCOME_VIEW):
        return None
    tasks = list(open_tasks()[:11])
    return Panel(
        title=_("Välkomna och kontakta"),
        template="members/overview/tasks.html",
        context={"tasks": tasks[:10], "more": len(tasks) > 10},
        order=10,
    )
