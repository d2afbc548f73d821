"""Writes about newsletters: drafts, schedules, sending through the mail engine, unsubscribes.

Every write takes the acting user (`actor`, None for the beat jobs) and the address the request
came from (`ip`) and writes its own audit entry; rules that refuse raise krets.errors.
"""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from krets.errors import Invalid
from krets.mail.kinds import Recipient
from krets.mail.services import (
    mail_send_cancel,
    mail_send_pause,
    mail_send_resume,
    mail_send_start,
)
from krets.models import MailSend
from members.models import Member, User
from members.selectors import communication_officers

from . import mail_kinds
from .models import Newsletter
from .selectors import month_has_newsletter, newsletter_audience

# Who the log names when no person acted: the minute job that starts scheduled letters.
SCHEDULER = "schemaläggaren"


def _log(action: str, newsletter: Newsletter, step: str, *, actor, ip, **detail) -> None:
    audit_log(
        actor=actor,
        actor_label="" if actor is not None else SCHEDULER,
        action=action,
        target=f"nyhetsbrev:{newsletter.pk}",
        detail={"step": step, **detail},
        ip=ip,
    )


@transaction.atomic
def newsletter_save(*, actor: User, newsletter: Newsletter, ip: str | None = None) -> Newsletter:
    """Save a draft (or a scheduled newsletter not yet sent)."""
    if newsletter.pk is not None:
        current = Newsletter.objects.select_for_update().get(pk=newsletter.pk)
        if not current.is_editable:
            raise Invalid(_("Ett nyhetsbrev som skickas eller har skickats kan inte ändras."))
    else:
        newsletter.created_by = actor
    newsletter.save()
    _log(Action.NEWSLETTER_CHANGED, newsletter, "saved", actor=actor, ip=ip)
    return newsletter


@transaction.atomic
def newsletter_schedule(
    *, actor: User, newsletter: Newsletter, send_at: datetime.datetime, ip: str | None = None
) -> bool:
    """Send at a set time; the beat job `newsletters_dispatch_due` starts it then."""
    scheduled = Newsletter.objects.filter(
        pk=newsletter.pk, state__in=[Newsletter.State.DRAFT, Newsletter.State.SCHEDULED]
    ).update(state=Newsletter.State.SCHEDULED, send_at=send_at)
    if scheduled:
        _log(
            Action.NEWSLETTER_CHANGED,
            newsletter,
            "scheduled",
            actor=actor,
            ip=ip,
            send_at=send_at.isoformat(),
        )
    return bool(scheduled)


@transaction.atomic
def newsletter_unschedule(*, actor: User, newsletter: Newsletter, ip: str | None = None) -> bool:
    unscheduled = Newsletter.objects.filter(
        pk=newsletter.pk, state=Newsletter.State.SCHEDULED
    ).update(state=Newsletter.State.DRAFT, send_at=None)
    if unscheduled:
        _log(Action.NEWSLETTER_CHANGED, newsletter, "unscheduled", actor=actor, ip=ip)
    return bool(unscheduled)


@transaction.atomic
def newsletter_start(*, actor: User | None, newsletter_id: int, ip: str | None = None) -> bool:
    """Freeze the audience and hand the newsletter to the mail engine. Runs once per letter:
    the state moves on with a conditional update, and the engine's key guards it again.
    `actor` None: the beat job started a scheduled letter."""
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
        # A scheduled letter's failures show on its writer's overview.
        started_by=actor or newsletter.created_by,
    )
    newsletter.mail_send = send
    newsletter.save(update_fields=["mail_send"])
    _log(Action.NEWSLETTER_SENT, newsletter, "started", actor=actor, ip=ip, recipients=send.total)
    return True


def newsletters_dispatch_due(*, now: datetime.datetime | None = None) -> list[int]:
    """The beat job: start every scheduled newsletter whose time has come. Idempotent."""
    now = now or timezone.now()
    due = Newsletter.objects.filter(state=Newsletter.State.SCHEDULED, send_at__lte=now).values_list(
        "pk", flat=True
    )
    return [pk for pk in list(due) if newsletter_start(actor=None, newsletter_id=pk)]


@transaction.atomic
def newsletter_pause(*, actor: User, newsletter: Newsletter, ip: str | None = None) -> bool:
    if not Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.SENDING).update(
        state=Newsletter.State.PAUSED
    ):
        return False
    mail_send_pause(send=newsletter.mail_send)
    _log(Action.NEWSLETTER_SENT, newsletter, "paused", actor=actor, ip=ip)
    return True


@transaction.atomic
def newsletter_resume(*, actor: User, newsletter: Newsletter, ip: str | None = None) -> bool:
    if not Newsletter.objects.filter(pk=newsletter.pk, state=Newsletter.State.PAUSED).update(
        state=Newsletter.State.SENDING
    ):
        return False
    mail_send_resume(send=newsletter.mail_send)
    _log(Action.NEWSLETTER_SENT, newsletter, "resumed", actor=actor, ip=ip)
    return True


@transaction.atomic
def newsletter_cancel(*, actor: User, newsletter: Newsletter, ip: str | None = None) -> bool:
    """Stop a scheduled or running newsletter; what already went out stays sent."""
    cancelled = Newsletter.objects.filter(
        pk=newsletter.pk,
        state__in=[Newsletter.State.SCHEDULED, Newsletter.State.SENDING, Newsletter.State.PAUSED],
    ).update(state=Newsletter.State.CANCELLED)
    if not cancelled:
        return False
    if newsletter.mail_send_id:
        mail_send_cancel(send=newsletter.mail_send)
    _log(Action.NEWSLETTER_SENT, newsletter, "cancelled", actor=actor, ip=ip)
    return True


@transaction.atomic
def newsletter_test_send(*, actor: User, newsletter: Newsletter, ip: str | None = None) -> None:
    """Send the newsletter to its writer only, as members will get it."""
    member = Member.objects.filter(user=actor).first()
    context = {"member_id": member.pk} if member else {}
    mail_send_start(
        kind=mail_kinds.NEWSLETTER,
        key=f"newsletter-test:{newsletter.pk}:{uuid.uuid4().hex}",
        recipients=[Recipient(actor.email, None, context)],
        params={"newsletter_id": newsletter.pk, "test": True},
    )
    _log(Action.NEWSLETTER_SENT, newsletter, "test", actor=actor, ip=ip)


@transaction.atomic
def newsletter_unsubscribe(*, member: Member, ip: str | None = None) -> bool:
    """Withdraw the member's consent to newsletters. Idempotent: True only the first time.

    The member acts through the signed link in their mail, without a login: the log names
    them as "medlemmen själv" and the member as its target."""
    withdrawn = Member.objects.filter(pk=member.pk, newsletter_consent=True).update(
        newsletter_consent=False, newsletter_consent_on=None
    )
    if withdrawn:
        audit_log(
            actor=None,
            actor_label="medlemmen själv",
            action=Action.MEMBER_CHANGED,
            target=f"medlem:{member.pk}",  # as members.services.member_target names a member
            detail={"fields": ["newsletter_consent"], "via": "unsubscribe"},
            ip=ip,
        )
    return bool(withdrawn)


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
