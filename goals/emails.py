"""The mails of the theme-group document flow: one small function per mail.

Each returns a message (subject, text and HTML from templates in goals/templates/goals/email/)
or None when there is nobody to send it to. They are sent from goals.tasks, after commit.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from members.models import BoardAssignment, BoardFunction
from members.selectors import current_year

from .models import DocumentEvent, ThemeDocument


def _message(template: str, context: dict, to: list[str]) -> EmailMultiAlternatives | None:
    to = sorted({address.lower() for address in to if address})
    if not to:
        return None
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=render_to_string(f"goals/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"goals/email/{template}.txt", context),
        to=to,
    )
    message.attach_alternative(
        render_to_string(f"goals/email/{template}.html", context), "text/html"
    )
    return message


def _link(document: ThemeDocument) -> str:
    return settings.SITE_URL + reverse("goals:document_detail", args=[document.pk])


def communication_officers() -> list[str]:
    return list(
        BoardAssignment.objects.filter(
            year=current_year(), function=BoardFunction.COMMUNICATION
        ).values_list("member__email", flat=True)
    )


def _authors(document: ThemeDocument) -> list[str]:
    """Who wrote it: the group's leader and whoever created the document."""
    leader = document.group.leader
    return [
        leader.email if leader else "",
        document.created_by.email if document.created_by else "",
    ]


def document_submitted(event: DocumentEvent) -> EmailMultiAlternatives | None:
    document = event.document
    context = {"document": document, "group": document.group, "by": event.by}
    return _message(
        "document_submitted", {**context, "link": _link(document)}, communication_officers()
    )


def document_published(event: DocumentEvent) -> EmailMultiAlternatives | None:
    document = event.document
    context = {"document": document, "group": document.group, "link": _link(document)}
    return _message("document_published", context, _authors(document))


def document_returned(event: DocumentEvent) -> EmailMultiAlternatives | None:
    document = event.document
    context = {
        "document": document,
        "group": document.group,
        "comment": event.comment,
        "link": _link(document),
    }
    return _message("document_returned", context, _authors(document))


def for_event(event: DocumentEvent) -> EmailMultiAlternatives | None:
    build = {
        DocumentEvent.Kind.SUBMITTED: document_submitted,
        DocumentEvent.Kind.PUBLISHED: document_published,
        DocumentEvent.Kind.RETURNED: document_returned,
    }[event.kind]
    return build(event)
