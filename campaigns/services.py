"""Writes with business rules for campaigns and external communication."""

import datetime
import secrets
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.mail.kinds import Recipient
from krets.mail.services import (
    mail_send_cancel,
    mail_send_pause,
    mail_send_resume,
    mail_send_start,
)
from krets.models import MailSend
from krets.rights import Perm, Rights
from members.models import Member

from . import emails
from .models import Competition, ContentItem, Draw, Newsletter, PaidMarketing, first_of_month
from .selectors import communication_officers, month_has_newsletter, newsletter_audience

Status = ContentItem.Status


@transaction.atomic
def paid_marketing_plan(
    *, month: datetime.date, amounts: dict[int, tuple[Decimal, Decimal]]
) -> None:
    """Set planned and spent amounts for a month, per channel id; zero and zero removes a row."""
    month = first_of_month(month)
    for channel_id, (planned, spent) in amounts.items():
        if planned < 0 or spent < 0:
            raise ValidationError(_("Belopp kan inte vara negativa."))
        if not planned and not spent:
            PaidMarketing.objects.filter(channel_id=channel_id, month=month).delete()
            continue
        PaidMarketing.objects.update_or_create(
            channel_id=channel_id, month=month, defaults={"planned": planned, "spent": spent}
        )


def content_may_edit(item: ContentItem, *, member: Member | None, rights: Rights) -> bool:
    """The owner edits their content until it is published; the kommunikationsansvarig always."""
    if rights.has(Perm.PUBLISH):
        return True
    return member is not None and item.owner_id == member.pk and item.status != Status.PUBLISHED


# The owner moves content forward to review; publishing and returning are the reviewer's.
OWNER_STEPS = {Status.IDEA: Status.DRAFT, Status.DRAFT: Status.REVIEW}


def content_advance(*, item: ContentItem, member: Member | None, rights: Rights) -> ContentItem:
    if not content_may_edit(item, member=member, rights=rights):
        raise PermissionDenied
    if item.status not in OWNER_STEPS:
        raise ValidationError(_("Innehållet kan inte flyttas vidare härifrån."))
    updated = ContentItem.objects.filter(pk=item.pk, status=item.status).update(
        status=OWNER_STEPS[item.status]
    )
    if not updated:
        raise ValidationError(_("Någon annan har just ändrat innehållet. Ladda om sidan."))
    item.refresh_from_db()
    return item


def content_publish(
    *, item: ContentItem, rights: Rights, link: str = "", published_on: datetime.date | None = None
) -> ContentItem:
    rights.require(Perm.PUBLISH)
    if item.status != Status.REVIEW:
        raise ValidationError(_("Bara innehåll som granskas kan publiceras."))
    item.status = Status.PUBLISHED
    item.published_on = published_on or timezone.localdate()
    item.link = link
    item.review_comment = ""
    item.save(update_fields=["status", "published_on", "link", "review_comment"])
    return item


def content_return(*, item: ContentItem, rights: Rights, comment: str) -> ContentItem:
    rights.require(Perm.PUBLISH)
    if item.status != Status.REVIEW:
        raise ValidationError(_("Bara innehåll som granskas kan skickas tillbaka."))
    if not comment.strip():
        raise ValidationError(_("Skriv en kommentar om vad som behöver ändras."))
    item.status = Status.DRAFT
    item.review_comment = comment.strip()
    item.save(update_fields=["status", "review_comment"])
    return item


@transaction.atomic
def competition_draw(*, competition: Competition, drawn_by, seed: int | None = None) -> Draw:
    """Draw a winner among the entries, once. The seed is logged so the draw can be redone."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if Draw.objects.filter(competition=competition).exists():
        raise ValidationError(_("Vinnaren är redan dragen."))
    if timezone.localdate() <= competition.ends_on:
        raise ValidationError(_("Tävlingen pågår fortfarande. Dra vinnaren när den har slutat."))
    entry_ids = sorted(competition.entries.values_list("id", flat=True))
    if not entry_ids:
        raise ValidationError(_("Det finns inga bidrag att dra bland."))
    seed = secrets.randbits(63) if seed is None else seed
    return Draw.objects.create(
        competition=competition,
        seed=seed,
        entry_ids=entry_ids,
        winner_id=Draw.pick(seed, entry_ids),
        drawn_by=drawn_by,
    )


# --- newsletters ---------------------------------------------------------------------------


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
        kind=emails.NEWSLETTER,
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
        kind=emails.NEWSLETTER,
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
        kind=emails.REMINDER,
        key=f"newsletter-reminder:{month}",
        recipients=[Recipient(m.email, m.pk, {"first_name": m.first_name}) for m in officers],
        params={"month": month},
    )
