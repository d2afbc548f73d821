"""Writing to the audit log: who, when, what, from which address."""

from typing import Any

from .models import AuditEvent
from .net import client_ip

Action = AuditEvent.Action


def audit_record(
    request,
    *,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    actor=None,
    actor_label: str = "",
) -> AuditEvent:
    """Append one event. The actor is the request's user unless given."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        action=action,
        target=target[:200],
        detail=detail or {},
        ip=client_ip(request),
    )
