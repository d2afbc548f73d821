"""Writes with rules: the plan, the activity log, the theme-group document flow, the election
programme and the annual report.

Services that act for a person take the acting user (`actor`) and the client's address (`ip`);
none takes a request. A refused write raises krets.errors.Invalid with a message for the user."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.attachments import attachment_add_version
from krets.audit import Action, audit_log
from krets.errors import Invalid, NotAllowed
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.models import User
from members.selectors import communication_officers

from . import linkables, mail_kinds
from .models import (
    Activity,
    AnnualReport,
    DocumentAttachment,
    DocumentEvent,
    Goal,
    LogEntry,
    ProgrammeLink,
    ProgrammePoint,
    Target,
    ThemeDocument,
    ThemeGroup,
)

Status = ThemeDocument.Status


# The plan: goals, activities, measured targets, theme groups, programme points ---------------


@transaction.atomic
def plan_form_save(*, actor: User, form, ip: str | None = None):
    """Save one of the plan's forms (goal, activity with the goals it serves, target, theme
    group, programme point): the form holds the field rules; saving, with its many-to-many
    rows, is one transaction."""
    return form.save()


def target_delete(*, actor: User, target: Target, ip: str | None = None) -> None:
    target.delete()


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity, ip: str | None = None) -> None:
    """Removes the activity from every goal it serves, with its log entries."""
    activity.delete()


@transaction.atomic
def year_plan_copy(
    *, actor: User | None, from_year: int, to_year: int, ip: str | None = None
) -> int:
    """Start `to_year`'s plan as a copy of `from_year`'s: its goals, activities (with the goals
    they serve, their period moved to the new year) and measured targets. Log entries stay with
    the year they happened in; theme groups and the election programme are not tied to a year
    and simply go on. Refuses if `to_year` already has a plan, so nothing is copied twice.
    Returns the number of goals copied."""
    if Goal.objects.filter(year=to_year).exists() or Activity.objects.filter(year=to_year).exists():
        raise Invalid(_("Det finns redan en plan för %(year)s.") % {"year": to_year})
    goals = list(Goal.objects.filter(year=from_year).prefetch_related("targets"))
    if not goals:
        raise Invalid(_("Det finns ingen plan för %(year)s att kopiera.") % {"year": from_year})
    new_goals = {}
    for goal in goals:
        new_goals[goal.pk] = Goal.objects.create(
            year=to_year, number=goal.number, title=goal.title, description=goal.description
        )
    new_activities = {}
    activities = Activity.objects.filter(year=from_year).prefetch_related("goals")
    for activity in activities:
        copy = Activity.objects.create(
            year=to_year,
            title=activity.title,
            description=activity.description,
            responsible=activity.responsible,
            starts_on=_shifted(activity.starts_on, to_year - from_year),
            ends_on=_shifted(activity.ends_on, to_year - from_year),
            order=activity.order,
        )
        copy.goals.set([new_goals[goal.pk] for goal in activity.goals.all()])
        new_activities[activity.pk] = copy
    targets = [
        Target(
            goal=new_goals[goal.pk],
            label=target.label,
            measure=target.measure,
            activity=new_activities.get(target.activity_id),
            target=target.target,
            order=target.order,
        )
        for goal in goals
        for target in goal.targets.all()
    ]
    Target.objects.bulk_create(targets)
    audit_log(
        actor=actor,
        action=Action.PLAN_COPIED,
        target=_("Verksamhetsplan %(year)s") % {"year": to_year},
        detail={
            "from": from_year,
            "to": to_year,
            "goals": len(new_goals),
            "activities": len(new_activities),
            "targets": len(targets),
        },
        actor_label="" if actor else "demo",
        ip=ip,
    )
    return len(new_goals)


def _shifted(day: datetime.date | None, years: int) -> datetime.date | None:
    """The same day `years` later (29 February becomes 28 February)."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


# The activity log -------------------------------------------------------------------------


def log_entry_create(
    *,
    actor: User,
    activity: Activity,
    happened_on: datetime.date,
    what: str,
    who: str,
    link: str,
    ip: str | None = None,
) -> LogEntry:
    return LogEntry.objects.create(
        activity=activity, happened_on=happened_on, what=what, who=who, link=link, created_by=actor
    )


def log_entry_delete(
    *, actor: User, entry: LogEntry, may_delete_any: bool = False, ip: str | None = None
) -> None:
    """Whoever logged an entry may delete it; those who change the plan any entry."""
    if entry.created_by_id != actor.pk and not may_delete_any:
        raise NotAllowed(_("Bara den som loggade posten kan ta bort den."))
    entry.delete()


# The document flow: utkast -> inlämnad -> publicerad, or inlämnad -> returnerad -> inlämnad.


def document_create(
    *, actor: User, group: ThemeGroup, title: str, body: str, ip: str | None = None
) -> ThemeDocument:
    return ThemeDocument.objects.create(group=group, title=title, body=body, created_by=actor)


def document_update(
    *, actor: User | None, document: ThemeDocument, title: str, body: str, ip: str | None = None
) -> ThemeDocument:
    if not document.is_editable:
        raise Invalid(_("Ett inlämnat eller publicerat dokument kan inte ändras."))
    document.title, document.body = title, body
    document.save(update_fields=["title", "body"])
    return document


def _step(*, document: ThemeDocument, kind: str, by, comment: str = "") -> DocumentEvent:
    event = DocumentEvent.objects.create(document=document, kind=kind, by=by, comment=comment)
    document_event_mail(event_id=event.pk)  # in this transaction; the engine sends after commit
    return event


def _locked(document: ThemeDocument, *allowed: str) -> ThemeDocument:
    """The document re-read under a row lock, in one of the allowed statuses."""
    document = ThemeDocument.objects.select_for_update().get(pk=document.pk)
    if document.status not in allowed:
        raise Invalid(
            _("Dokumentet är %(status)s och kan inte flyttas så.")
            % {"status": document.get_status_display().lower()}
        )
    return document


@transaction.atomic
def document_submit(
    *, actor: User | None, document: ThemeDocument, ip: str | None = None
) -> ThemeDocument:
    """Hand the document to the kommunikationsansvarig, who is told by email."""
    document = _locked(document, Status.DRAFT, Status.RETURNED)
    document.status, document.submitted_at = Status.SUBMITTED, timezone.now()
    document.save(update_fields=["status", "submitted_at"])
    _step(document=document, kind=DocumentEvent.Kind.SUBMITTED, by=actor)
    return document


@transaction.atomic
def document_publish(
    *,
    actor: User | None,
    document: ThemeDocument,
    channel: str,
    published_on: datetime.date,
    link: str,
    ip: str | None = None,
) -> ThemeDocument:
    document = _locked(document, Status.SUBMITTED)
    document.status = Status.PUBLISHED
    document.channel, document.published_on, document.link = channel, published_on, link
    document.return_comment = ""
    document.save(update_fields=["status", "channel", "published_on", "link", "return_comment"])
    _step(document=document, kind=DocumentEvent.Kind.PUBLISHED, by=actor)
    return document


@transaction.atomic
def document_return(
    *, actor: User | None, document: ThemeDocument, comment: str, ip: str | None = None
) -> ThemeDocument:
    if not comment.strip():
        raise Invalid(_("Skriv en kommentar om vad som behöver ändras."))
    document = _locked(document, Status.SUBMITTED)
    document.status, document.return_comment = Status.RETURNED, comment
    document.save(update_fields=["status", "return_comment"])
    _step(document=document, kind=DocumentEvent.Kind.RETURNED, by=actor, comment=comment)
    return document


@transaction.atomic
def document_event_mail(*, event_id: int) -> bool:
    """Hand the mail of one flow step to the engine once: the step is claimed (`mailed_at`)
    in the same transaction, and the engine's key guards it again. False: nothing to send."""
    claimed = DocumentEvent.objects.filter(pk=event_id, mailed_at__isnull=True).update(
        mailed_at=timezone.now()
    )
    if not claimed:
        return False
    event = DocumentEvent.objects.select_related(
        "document__group__leader", "document__created_by"
    ).get(pk=event_id)
    if event.kind == DocumentEvent.Kind.SUBMITTED:
        addresses = [member.email for member in communication_officers()]
    else:  # who wrote it: the group's leader and whoever created the document
        leader, writer = event.document.group.leader, event.document.created_by
        addresses = [leader.email if leader else "", writer.email if writer else ""]
    recipients = [Recipient(address) for address in sorted(set(filter(None, addresses)))]
    if not recipients:  # nobody to tell
        return False
    kind = mail_kinds.FOR_EVENT[event.kind]
    mail_send_start(
        kind=kind, key=f"{kind}:{event.pk}", recipients=recipients, params={"event_id": event.pk}
    )
    return True


# The election programme ------------------------------------------------------------------


def programme_link_add(*, actor: User, point: ProgrammePoint, form, ip: str | None = None):
    """Link a programme point to what carries it out (the link form, already validated)."""
    form.instance.point = point
    return form.save()


def programme_link_pick(
    *,
    actor: User,
    rights,
    point: ProgrammePoint,
    source: str,
    target_id: int,
    ip: str | None = None,
) -> ProgrammeLink:
    """Link a point to a record chosen from a list (a decision, a matter): only one the actor
    may see, and only once. The record's title is kept on the link, so a link to a record
    that is later removed, or hidden from a viewer, still says what it was."""
    linkable = linkables.source(source)
    if linkable is None:
        raise Invalid(_("Det går inte att länka till den sortens post."))
    found = linkable.resolve(rights, [target_id]).get(target_id)
    if found is None:
        raise Invalid(_("Det du valde finns inte, eller så får du inte se det."))
    if point.links.filter(source=source, target_id=target_id).exists():
        raise Invalid(_("Punkten är redan länkad dit."))
    return ProgrammeLink.objects.create(
        point=point,
        kind=linkable.kind,
        title=found.title[:200],
        source=source,
        target_id=target_id,
    )


def programme_link_delete(*, actor: User, link: ProgrammeLink, ip: str | None = None) -> None:
    link.delete()


# The annual report ------------------------------------------------------------------------


def annual_report_save(*, actor: User, form, ip: str | None = None) -> AnnualReport:
    """Save the year's text (the report form, already validated), noting who wrote it."""
    form.instance.updated_by = actor
    return form.save()


def annual_report_for(*, year: int) -> AnnualReport:
    """The year's text, or an empty unsaved one: reading the report writes nothing."""
    return AnnualReport.objects.filter(year=year).first() or AnnualReport(year=year)


@transaction.atomic
def document_attachment_add(
    *, actor: User | None, document: ThemeDocument, upload, ip: str | None = None
) -> DocumentAttachment:
    """Attach a file, its type judged by content; the same name again is the next version."""
    ThemeDocument.objects.select_for_update().filter(pk=document.pk).first()
    attachment = attachment_add_version(
        DocumentAttachment,
        owner_field="document",
        owner=document,
        upload=upload,
        uploaded_by=actor if actor and actor.is_authenticated else None,
    )
    audit_log(
        actor=actor,
        action=Action.COMMUNICATION_CHANGED,
        target=f"dokument:{document.pk}",
        detail={"step": "attachment", "attachment": attachment.pk},
        ip=ip,
    )
    return attachment
