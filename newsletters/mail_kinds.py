"""The newsletters' mail, registered with the engine (krets.mail; autodiscovered): the
newsletter itself (and its test sends) and the monthly reminder to the kommunikationsansvarig.
Templates in newsletters/templates/newsletters/email/.

The Markdown is turned into HTML and text once per chunk (`prepare`); each member's mail then
only fills in their name and links.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from krets.mail.kinds import Kind, Recipient, register
from members.tokens import NEWSLETTER_ARCHIVE, UNSUBSCRIBE, member_token

from .markup import markdown_to_html, markdown_to_text
from .models import Newsletter
from .selectors import members_still_wanting

NEWSLETTER = "newsletters.newsletter"
REMINDER = "newsletters.reminder"
TEMPLATE = "newsletters/email/newsletter"


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("newsletters:unsubscribe", args=[token])


def archive_url(member_id: int) -> str:
    token = member_token(member_id, NEWSLETTER_ARCHIVE)
    return settings.SITE_URL + reverse("newsletters:archive", args=[token])


def unsubscribe_mailto(token: str) -> str:
    address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip()
    return f"mailto:{address}?subject={quote('avregistrera ' + token)}"


def newsletter_context(newsletter: Newsletter) -> dict:
    """What every recipient of a newsletter shares (the preview shows it with no member)."""
    return {
        "newsletter": newsletter,
        "body_html": mark_safe(markdown_to_html(newsletter.body)),  # sanitised by nh3
        "body_text": markdown_to_text(newsletter.body),
        "name": "",
        "unsubscribe_url": "",
        "archive_url": "",
        "unsubscribe_token": "",
    }


def _prepare(params: dict) -> dict:
    return newsletter_context(Newsletter.objects.get(pk=params["newsletter_id"]))


def _context(shared: dict, recipient: Recipient) -> dict:
    # A test send has no member on its row (it must reach its writer whatever they chose),
    # but carries the writer's member id so that the links in it work.
    member_id = recipient.member_id or recipient.context.get("member_id")
    token = member_token(member_id, UNSUBSCRIBE) if member_id else ""
    return {
        **shared,
        "name": recipient.context.get("first_name", ""),
        "unsubscribe_url": unsubscribe_url(token) if member_id else settings.SITE_URL,
        "archive_url": archive_url(member_id) if member_id else settings.SITE_URL,
        "unsubscribe_token": token,
    }


def _headers(context: dict) -> dict[str, str]:
    token = context["unsubscribe_token"]
    if not token:
        return {}
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>, <{unsubscribe_mailto(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Nyhetsbrev <nyhetsbrev.{settings.SITE_URL.split('//')[-1]}>",
    }


def _still_wanted(member_ids: list[int], params: dict) -> set[int]:
    if params.get("test"):  # a test send goes to its writer whatever they chose
        return set(member_ids)
    return members_still_wanting(member_ids)


def _finished(send_id: int) -> None:
    Newsletter.objects.filter(mail_send_id=send_id, state=Newsletter.State.SENDING).update(
        state=Newsletter.State.SENT, sent_at=timezone.now()
    )


def _reminder_context(params: dict, recipient: Recipient) -> dict:
    return {
        "name": recipient.context.get("first_name", ""),
        "month": params["month"],
        "url": settings.SITE_URL + reverse("newsletters:create"),
    }


register(
    Kind(
        name=NEWSLETTER,
        template=TEMPLATE,
        prepare=_prepare,
        context=_context,
        headers=_headers,
        still_wanted=_still_wanted,
        finished=_finished,
    )
)
register(Kind(name=REMINDER, template="newsletters/email/reminder", context=_reminder_context))
