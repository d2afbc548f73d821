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
    """Append one event for a request (sign-ins, the admin). The actor is the request's user
    unless given. Services call `audit_log` with the actor instead."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return audit_log(
        actor=actor,
        action=action,
        target=target,
        detail=detail,
        actor_label=actor_label,
        ip=client_ip(request),
    )


def audit_log(
    *,
    actor,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Append one event: what a service did, by whom (a User, or None with a label such as
    "gallring" or "medlemmen själv"), from which address."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor_label or (actor.email if actor is not None else ""),
        action=action,
        target=target[:200],
        detail=detail or {},
        ip=ip,
    )
