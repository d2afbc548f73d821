"""Writes with business rules for campaigns and external communication.

Every write takes the acting user (`actor`) and the request's address (`ip`), runs in one
transaction and writes its own audit entry (codes and ids, never copies of the text). Rules
that refuse raise krets.errors: NotAllowed (the view answers 403) or Invalid (a message).
"""

import datetime
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from krets.errors import Invalid, NotAllowed
from krets.rights import Perm
from members.models import Member, User
from members.selectors import rights_for_user

from .models import (
    Campaign,
    Channel,
    Competition,
    CompetitionEntry,
    ContentItem,
    Draw,
    FieldActivity,
    FollowerCount,
    LivePanel,
    PaidMarketing,
    first_of_month,
)

Status = ContentItem.Status


def _log(step: str, obj: models.Model, *, actor: User, ip: str | None, **detail) -> None:
    audit_log(
        actor=actor,
        action=Action.COMMUNICATION_CHANGED,
        target=f"{obj._meta.model_name}:{obj.pk}",
        detail={"step": step, **detail},
        ip=ip,
    )


def _save(
    obj: models.Model, *, actor: User, ip: str | None, related: dict[str, Iterable] | None
) -> models.Model:
    """Save a validated form's instance and its many-to-many choices, and log it."""
    created = obj.pk is None
    obj.save()
    for name, values in (related or {}).items():
        getattr(obj, name).set(values)
    _log("created" if created else "changed", obj, actor=actor, ip=ip)
    return obj


@transaction.atomic
def campaign_save(
    *, actor: User, campaign: Campaign, goals: Iterable | None = None, ip: str | None = None
) -> Campaign:
    return _save(campaign, actor=actor, ip=ip, related={"goals": goals or []})


@transaction.atomic
def activity_add(
    *,
    actor: User,
    campaign: Campaign,
    activity: FieldActivity,
    people: Iterable[Member] = (),
    ip: str | None = None,
) -> FieldActivity:
    activity.campaign = campaign
    return _save(activity, actor=actor, ip=ip, related={"people": people})


@transaction.atomic
def channel_save(*, actor: User, channel: Channel, ip: str | None = None) -> Channel:
    return _save(channel, actor=actor, ip=ip, related=None)


@transaction.atomic
def follower_count_set(
    *, actor: User, channel: Channel, month: datetime.date, followers: int, ip: str | None = None
) -> FollowerCount:
    """The channel's followers in a month (one count per month: a new one replaces it)."""
    count, _created = FollowerCount.objects.update_or_create(
        channel=channel, month=first_of_month(month), defaults={"followers": followers}
    )
    _log("followers", channel, actor=actor, ip=ip, month=f"{count.month:%Y-%m}")
    return count


@transaction.atomic
def panel_save(
    *, actor: User, panel: LivePanel, panellists: Iterable[Member] = (), ip: str | None = None
) -> LivePanel:
    return _save(panel, actor=actor, ip=ip, related={"panellists": panellists})


@transaction.atomic
def competition_save(*, actor: User, competition: Competition, ip: str | None = None):
    return _save(competition, actor=actor, ip=ip, related=None)


@transaction.atomic
def entry_add(
    *, actor: User, competition: Competition, entry: CompetitionEntry, ip: str | None = None
) -> CompetitionEntry:
    entry.competition = competition
    return _save(entry, actor=actor, ip=ip, related=None)


@transaction.atomic
def paid_marketing_plan(
    *,
    actor: User,
    month: datetime.date,
    amounts: dict[int, tuple[Decimal, Decimal]],
    ip: str | None = None,
) -> None:
    """Set planned and spent amounts for a month, per channel id; zero and zero removes a row."""
    month = first_of_month(month)
    for channel_id, (planned, spent) in amounts.items():
        if planned < 0 or spent < 0:
            raise Invalid(_("Belopp kan inte vara negativa."))
        if not planned and not spent:
            PaidMarketing.objects.filter(channel_id=channel_id, month=month).delete()
            continue
        PaidMarketing.objects.update_or_create(
            channel_id=channel_id, month=month, defaults={"planned": planned, "spent": spent}
        )
    audit_log(
        actor=actor,
        action=Action.COMMUNICATION_CHANGED,
        target=f"betald-marknadsforing:{month:%Y-%m}",
        detail={"step": "planned", "channels": sorted(amounts)},
        ip=ip,
    )


def content_may_edit(item: ContentItem, *, member: Member | None, rights) -> bool:
    """The owner edits their content until it is published; the kommunikationsansvarig always."""
    if rights.has(Perm.PUBLISH):
        return True
    return member is not None and item.owner_id == member.pk and item.status != Status.PUBLISHED


def _actor_may_edit(item: ContentItem, actor: User) -> bool:
    member = Member.objects.filter(user=actor).first()
    return content_may_edit(item, member=member, rights=rights_for_user(actor))


@transaction.atomic
def content_save(*, actor: User, item: ContentItem, ip: str | None = None) -> ContentItem:
    """New content is the actor's own idea; existing content only its owner (or the
    kommunikationsansvarig) may change."""
    if item.pk is None:
        item.owner = Member.objects.filter(user=actor).first()
        if item.owner is None:
            raise NotAllowed(_("Bara medlemmar kan föreslå innehåll."))
    elif not _actor_may_edit(ContentItem.objects.get(pk=item.pk), actor):
        raise NotAllowed(_("Du kan inte ändra det här innehållet."))
    return _save(item, actor=actor, ip=ip, related=None)


# The owner moves content forward to review; publishing and returning are the reviewer's.
OWNER_STEPS = {Status.IDEA: Status.DRAFT, Status.DRAFT: Status.REVIEW}


@transaction.atomic
def content_advance(*, actor: User, item: ContentItem, ip: str | None = None) -> ContentItem:
    if not _actor_may_edit(item, actor):
        raise NotAllowed(_("Du kan inte ändra det här innehållet."))
    if item.status not in OWNER_STEPS:
        raise Invalid(_("Innehållet kan inte flyttas vidare härifrån."))
    updated = ContentItem.objects.filter(pk=item.pk, status=item.status).update(
        status=OWNER_STEPS[item.status]
    )
    if not updated:
        raise Invalid(_("Någon annan har just ändrat innehållet. Ladda om sidan."))
    item.refresh_from_db()
    _log("advanced", item, actor=actor, ip=ip, status=item.status)
    return item


def _require_publisher(actor: User) -> None:
    if not rights_for_user(actor).has(Perm.PUBLISH):
        raise NotAllowed(_("Bara den som granskar kan publicera eller skicka tillbaka."))


@transaction.atomic
def content_publish(
    *,
    actor: User,
    item: ContentItem,
    link: str = "",
    published_on: datetime.date | None = None,
    ip: str | None = None,
) -> ContentItem:
    _require_publisher(actor)
    if item.status != Status.REVIEW:
        raise Invalid(_("Bara innehåll som granskas kan publiceras."))
    item.status = Status.PUBLISHED
    item.published_on = published_on or timezone.localdate()
    item.link = link
    item.review_comment = ""
    item.save(update_fields=["status", "published_on", "link", "review_comment"])
    _log("published", item, actor=actor, ip=ip)
    return item


@transaction.atomic
def content_return(
    *, actor: User, item: ContentItem, comment: str, ip: str | None = None
) -> ContentItem:
    _require_publisher(actor)
    if item.status != Status.REVIEW:
        raise Invalid(_("Bara innehåll som granskas kan skickas tillbaka."))
    if not comment.strip():
        raise Invalid(_("Skriv en kommentar om vad som behöver ändras."))
    item.status = Status.DRAFT
    item.review_comment = comment.strip()
    item.save(update_fields=["status", "review_comment"])
    _log("returned", item, actor=actor, ip=ip)
    return item


@transaction.atomic
def competition_draw(
    *, actor: User | None, competition: Competition, seed: int | None = None, ip: str | None = None
) -> Draw:
    """Draw a winner among the entries, once. The seed is logged so the draw can be redone."""
    competition = Competition.objects.select_for_update().get(pk=competition.pk)
    if Draw.objects.filter(competition=competition).exists():
        raise Invalid(_("Vinnaren är redan dragen."))
    if timezone.localdate() <= competition.ends_on:
        raise Invalid(_("Tävlingen pågår fortfarande. Dra vinnaren när den har slutat."))
    entry_ids = sorted(competition.entries.values_list("id", flat=True))
    if not entry_ids:
        raise Invalid(_("Det finns inga bidrag att dra bland."))
    seed = secrets.randbits(63) if seed is None else seed
    draw = Draw.objects.create(
        competition=competition,
        seed=seed,
        entry_ids=entry_ids,
        winner_id=Draw.pick(seed, entry_ids),
        drawn_by=actor,
    )
    _log("drawn", competition, actor=actor, ip=ip, seed=seed, winner=draw.winner_id)
    return draw
