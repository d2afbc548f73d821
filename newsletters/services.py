"""Writes about newsletters: drafts, schedules, sending through the mail engine, unsubscribes."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from krets.mail.kinds import Recipient
from krets.mail.services import (
    mail_send_cancel,
    mail_send_pause,
    mail_send_resume,
    mail_send_start,
)
from krets.models import MailSend
from members.models import Member
from members.selectors import communication_officers

from . import mail_kinds
from .models import Newsletter
from .selectors import month_has_newsletter, newsletter_audience


def newsletter_save(*, newsletter: Newsletter, user=None) -> Newsletter:
    """Save a draft (or a scheduled newsletter not yet sent)."""
    if not newsletter.is_editable:
        raise ValueError("a newsletter that is being sent or was sent cannot be changed")
    if newsletter.pk is None:
        newsletter.created_by = user
    newsletter.save()
    return newsletter


def newsletter_schedule(*, newsletter: Newsletter, send_at: datetime.datetime) -> bool:
    """Send at a set time; the beat job `newsletters_dispatch_due` starts it then."""
    return bool(
        Newsletter.objects.filter(
            pk=newsletter.pk, state__in=[Newsletter.State.DRAFT, Newsletter.State.SCHEDULED]
        ).update(state=Newsletter.State.SCHEDULED, send_at=send_at)
    )


def newsletter_unschedule(*, newsletter: Newsletter) -> bool:
    return bool(
        Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.SCHEDULED).update(
            state=Newsletter.State.DRAFT, send_at=None
        )
    )


@transaction.atomic
def newsletter_start(*, newsletter_id: int) -> bool:
    """Freeze the audience and hand the newsletter to the mail engine. Runs once per letter:
    the state moves on with a conditional update, and the engine's key guards it again."""
    now = timezone.now()
    started = Newsletter.objects.filter(
        pk=newsletter_id, state__in=[Newsletter.State.DRAFT, Newsletter.State.SCHEDULED]
    ).update(state=Newsletter.State.SENDING, started_at=now)
    if not started:
        return False
    newsletter = Newsletter.objects.get(pk=newsletter_id)
    recipients = (
        Recipient(email, member_id, {"first_name": first_name})
        for member_id, email, first_name in newsletter_audience(newsletter).values_list(
            "pk", "email", "first_name"
        )
    )
    send = mail_send_start(
        kind=mail_kinds.NEWSLETTER,
        key=f"newsletter:{newsletter.pk}",
        recipients=recipients,
        params={"newsletter_id": newsletter.pk},
    )
    newsletter.mail_send = send
    newsletter.save(update_fields=["mail_send"])
    return True


def newsletters_dispatch_due(*, now: datetime.datetime | None = None) -> list[int]:
    """The beat job: start every scheduled newsletter whose time has come. Idempotent."""
    now = now or timezone.now()
    due = Newsletter.objects.filter(state=Newsletter.State.SCHEDULED, send_at__lte=now).values_list(
        "pk", flat=True
    )
    return [pk for pk in list(due) if newsletter_start(newsletter_id=pk)]


@transaction.atomic
def newsletter_pause(*, newsletter: Newsletter) -> bool:
    if not Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.SENDING).update(
        state=Newsletter.State.PAUSED
    ):
        return False
    mail_send_pause(send=newsletter.mail_send)
    return True


@transaction.atomic
def newsletter_resume(*, newsletter: Newsletter) -> bool:
    if not Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.PAUSED).update(
        state=Newsletter.State.SENDING
    ):
        return False
    mail_send_resume(send=newsletter.mail_send)
    return True


@transaction.atomic
def newsletter_cancel(*, newsletter: Newsletter) -> bool:
    """Stop a scheduled or running newsletter; what already went out stays sent."""
    cancelled = Newsletter.objects.filter(
        pk=newsletter.pk,
        state__in=[Newsletter.State.SCHEDULED, Newsletter.State.SENDING, Newsletter.State.PAUSED],
    ).update(state=Newsletter.State.CANCELLED)
    if cancelled and newsletter.mail_send_id:
        mail_send_cancel(send=newsletter.mail_send)
    return bool(cancelled)


def newsletter_test_send(*, newsletter: Newsletter, email: str, member_id: int | None) -> None:
    """Send the newsletter to its writer only, as members will get it."""
    context = {"member_id": member_id} if member_id else {}
    mail_send_start(
        kind=mail_kinds.NEWSLETTER,
        key=f"newsletter-test:{newsletter.pk}:{uuid.uuid4().hex}",
        recipients=[Recipient(email, None, context)],
        params={"newsletter_id": newsletter.pk, "test": True},
    )


def newsletter_unsubscribe(*, member: Member) -> bool:
    """Withdraw the member's consent to newsletters. Idempotent: True only the first time."""
    return bool(
        Member.objects.filter(pk=member.pk, newsletter_consent=True).update(
            newsletter_consent=False, newsletter_consent_on=None
        )
    )


def newsletter_monthly_reminder(
    *, today: datetime.date | None = None, reminder_day: int
) -> MailSend | None:
    """The daily beat job: from `reminder_day` on, remind the kommunikationsansvarig once a
    month if the month has no newsletter sent or scheduled. The engine's key makes it once."""
    today = today or timezone.localdate()
    if today.day < reminder_day or month_has_newsletter(today):
        return None
    month = f"{today:%Y-%m}"
    officers = communication_officers(today.year)
    if not officers:
        return None
    return mail_send_start(
        kind=mail_kinds.REMINDER,
        key=f"newsletter-reminder:{month}",
        recipients=[Recipient(m.email, m.pk, {"first_name": m.first_name}) for m in officers],
        params={"month": month},
    )
