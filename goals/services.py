"""Writes with rules: the activity log, the theme-group document flow, the annual report."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.selectors import communication_officers

from . import mail_kinds
from .models import (
    Activity,
    AnnualReport,
    DocumentEvent,
    LogEntry,
    ThemeDocument,
    ThemeGroup,
)

Status = ThemeDocument.Status


def log_entry_create(
    *, activity: Activity, happened_on: datetime.date, what: str, who: str, link: str, by
) -> LogEntry:
    return LogEntry.objects.create(
        activity=activity, happened_on=happened_on, what=what, who=who, link=link, created_by=by
    )


def log_entry_delete(*, entry: LogEntry) -> None:
    entry.delete()


# The document flow: utkast -> inlämnad -> publicerad, or inlämnad -> returnerad -> inlämnad.


def document_create(*, group: ThemeGroup, title: str, body: str, by) -> ThemeDocument:
    return ThemeDocument.objects.create(group=group, title=title, body=body, created_by=by)


def document_update(*, document: ThemeDocument, title: str, body: str) -> ThemeDocument:
    if not document.is_editable:
        raise ValidationError(_("Ett inlämnat eller publicerat dokument kan inte ändras."))
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
        raise ValidationError(
            _("Dokumentet är %(status)s och kan inte flyttas så.")
            % {"status": document.get_status_display().lower()}
        )
    return document


@transaction.atomic
def document_submit(*, document: ThemeDocument, by) -> ThemeDocument:
    """Hand the document to the kommunikationsansvarig, who is told by email."""
    document = _locked(document, Status.DRAFT, Status.RETURNED)
    document.status, document.submitted_at = Status.SUBMITTED, timezone.now()
    document.save(update_fields=["status", "submitted_at"])
    _step(document=document, kind=DocumentEvent.Kind.SUBMITTED, by=by)
    return document


@transaction.atomic
def document_publish(
    *, document: ThemeDocument, by, channel: str, published_on: datetime.date, link: str
) -> ThemeDocument:
    document = _locked(document, Status.SUBMITTED)
    document.status = Status.PUBLISHED
    document.channel, document.published_on, document.link = channel, published_on, link
    document.return_comment = ""
    document.save(update_fields=["status", "channel", "published_on", "link", "return_comment"])
    _step(document=document, kind=DocumentEvent.Kind.PUBLISHED, by=by)
    return document


@transaction.atomic
def document_return(*, document: ThemeDocument, by, comment: str) -> ThemeDocument:
    if not comment.strip():
        raise ValidationError(_("Skriv en kommentar om vad som behöver ändras."))
    document = _locked(document, Status.SUBMITTED)
    document.status, document.return_comment = Status.RETURNED, comment
    document.save(update_fields=["status", "return_comment"])
    _step(document=document, kind=DocumentEvent.Kind.RETURNED, by=by, comment=comment)
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


def annual_report_for(*, year: int) -> AnnualReport:
    """The year's text, or an empty unsaved one: reading the report writes nothing."""
    return AnnualReport.objects.filter(year=year).first() or AnnualReport(year=year)
