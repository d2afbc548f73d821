from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register

from .selectors import current_year


@register
def my_functions(request) -> Panel | None:
    member = getattr(request.user, "member", None)
    if member is None or not request.rights.is_board:
        return None
    year = current_year()
    return Panel(
        title=_("Dina uppdrag %(year)s") % {"year": year},
        template="members/overview/functions.html",
        context={"assignments": member.board_assignments.filter(year=year)},
        order=0,
    )
