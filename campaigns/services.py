"""Writes with business rules for campaigns and external communication."""

import datetime
import secrets
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.rights import Perm, Rights
from members.models import Member

from .models import Competition, ContentItem, Draw, PaidMarketing, first_of_month

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
