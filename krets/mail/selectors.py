"""Reads about sends."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from .models import Delivery, MailSend, Suppression


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int
    skipped: int
    left: int

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.total - self.left) / self.total)


def send_progress(send: MailSend) -> Progress:
    """Counts for a progress bar, in one query."""
    S = Delivery.State
    counts = Delivery.objects.filter(send=send).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(state=S.SENT)),
        failed=Count("pk", filter=Q(state=S.FAILED)),
        skipped=Count("pk", filter=Q(state__in=[S.SKIPPED, S.CANCELLED])),
        left=Count("pk", filter=Q(state__in=[S.PENDING, S.SENDING, S.DEFERRED])),
    )
    return Progress(**counts)


def sends_waiting_for(user) -> list[MailSend]:
    """Sends this user started that wait for a failing mail server (the overview shows them)."""
    return list(
        MailSend.objects.filter(state=MailSend.State.WAITING, started_by=user).order_by(
            "created_at"
        )
    )


def sends_waiting(*, kind_prefix: str, **params) -> list[MailSend]:
    """Waiting sends of these kinds whose params match, e.g. one meeting's invitations."""
    lookups = {f"params__{name}": value for name, value in params.items()}
    return list(
        MailSend.objects.filter(
            state=MailSend.State.WAITING, kind__startswith=kind_prefix, **lookups
        ).order_by("created_at")
    )


def suppressions_page(query: str, page_number) -> Page:
    """The suppression list, newest first, optionally narrowed to addresses containing `query`."""
    suppressions = Suppression.objects.order_by("-created_at", "-id")
    if query.strip():
        suppressions = suppressions.filter(email__icontains=query.strip())
    return Paginator(suppressions, 50).get_page(page_number)
