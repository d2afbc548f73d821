from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register

from .selectors import upcoming_for


@register
def upcoming_meetings(request) -> Panel | None:
    meetings = upcoming_for(request.rights)
    if not meetings:
        return None
    return Panel(
        title=_("Kommande möten"),
        template="meetings/overview/upcoming.html",
        context={"meetings": meetings},
        order=20,
    )
