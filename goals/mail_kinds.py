"""The mails of the theme-group document flow, registered with the engine (krets.mail;
autodiscovered): submitted (to the kommunikationsansvarig), published and returned (to the
group's leader and the document's writer). Templates in goals/templates/goals/email/."""

from django.conf import settings
from django.urls import reverse

from krets.mail.kinds import Kind, Recipient, register

from .models import DocumentEvent

SUBMITTED = "goals.document_submitted"
PUBLISHED = "goals.document_published"
RETURNED = "goals.document_returned"

FOR_EVENT = {
    DocumentEvent.Kind.SUBMITTED: SUBMITTED,
    DocumentEvent.Kind.PUBLISHED: PUBLISHED,
    DocumentEvent.Kind.RETURNED: RETURNED,
}


def _prepare(params: dict) -> dict:
    """What every recipient of one step's mail sees (read once per chunk)."""
    event = DocumentEvent.objects.select_related("document__group", "by").get(pk=params["event_id"])
    document = event.document
    return {
        "document": document,
        "group": document.group,
        "by": event.by,
        "comment": event.comment,
        "link": settings.SITE_URL + reverse("goals:document_detail", args=[document.pk]),
    }


def _context(prepared: dict, recipient: Recipient) -> dict:
    return prepared


for _kind in FOR_EVENT.values():
    register(
        Kind(
            name=_kind,
            template=f"goals/email/{_kind.removeprefix('goals.')}",
            prepare=_prepare,
            context=_context,
        )
    )
