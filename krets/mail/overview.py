"""The overview panel of a sender whose mail waits for a failing mail server (imported by
KretsConfig.ready: the engine belongs to the krets app, whose overview.py is the registry)."""

from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register

from . import kinds
from .selectors import sends_waiting_for


@register
def sends_waiting(request) -> Panel | None:
    if not request.user.is_authenticated:
        return None
    waiting = sends_waiting_for(request.user)
    if not waiting:
        return None
    rows = []
    for send in waiting:
        kind = kinds.get(send.kind)
        rows.append({"send": send, "label": kind.label or send.kind, "url": kind.page(send.params)})
    return Panel(
        title=_("Utskick som väntar på e-postservern"),
        template="krets/overview/mail_waiting.html",
        context={"rows": rows},
        order=5,
    )
