"""The open doors on "Översikt": applications waiting, contacts to invite, the funnel."""

from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm

from .models import Contact
from .selectors import pending_applications


@register
def open_doors(request) -> Panel | None:
    if not request.rights.has(Perm.MEMBERS_VIEW):
        return None
    return Panel(
        title=_("Öppna dörrar"),
        template="visitors/overview.html",
        context={
            "pending": pending_applications().count(),
            "contacts": Contact.objects.count(),
            "can_decide": request.rights.has(Perm.MEMBERS_CHANGE),
        },
        order=15,
    )
