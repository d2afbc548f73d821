"""The newsletter as mail: Markdown to sanitised HTML and text, and its kinds in the engine.

A newsletter is rendered once per chunk (`prepare`) with placeholders for what differs per
member, which `render` fills in: one template rendering for hundreds of mails.
"""

import html
from urllib.parse import quote

import markdown
import nh3
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.mail import kinds
from krets.mail.kinds import Kind, Recipient, Rendered
from members.tokens import SELF_SERVICE, UNSUBSCRIBE, member_token

from .models import Newsletter
from .selectors import members_still_wanting

NEWSLETTER = "newsletters.newsletter"
REMINDER = "newsletters.reminder"

# What a newsletter's HTML may contain after sanitising; everything else (scripts, styles,
# event handlers, iframes) is removed.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "img", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}

NAME = "\x00NAME\x00"
UNSUBSCRIBE_URL = "\x00UNSUBSCRIBE\x00"
ARCHIVE_URL = "\x00ARCHIVE\x00"


def markdown_to_html(body: str) -> str:
    rendered = markdown.markdown(body, extensions=["extra", "sane_lists"])
    return nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def markdown_to_text(body: str) -> str:
    """The plain-text part: the Markdown itself, without any HTML written into it."""
    return html.unescape(nh3.clean(body, tags=set())).strip()


def unsubscribe_url(token: str) -> str:
    return settings.SITE_URL + reverse("newsletters:unsubscribe", args=[token])


def archive_url(member_id: int) -> str:
    token = member_token(member_id, SELF_SERVICE)
    return settings.SITE_URL + reverse("newsletters:archive", args=[token])


def unsubscribe_mailto(token: str) -> str:
    address = settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">").strip()
    return f"mailto:{address}?subject={quote('avregistrera ' + token)}"


def newsletter_parts(newsletter: Newsletter, *, placeholders: bool = True) -> dict[str, str]:
    """Subject, text and HTML, with placeholders where each member's name and links go."""
    context = {
        "newsletter": newsletter,
        "body_html": markdown_to_html(newsletter.body),
        "body_text": markdown_to_text(newsletter.body),
        "name": NAME if placeholders else "",
        "unsubscribe_url": UNSUBSCRIBE_URL if placeholders else "",
        "archive_url": ARCHIVE_URL if placeholders else "",
        "site_url": settings.SITE_URL,
    }
    return {
        "subject": newsletter.subject,
        "text": render_to_string("newsletters/email/newsletter.txt", context),
        "html": render_to_string("newsletters/email/newsletter.html", context),
    }


def _prepare_newsletter(params: dict) -> dict[str, str]:
    return newsletter_parts(Newsletter.objects.get(pk=params["newsletter_id"]))


def _fill(template: str, values: dict[str, str], *, escape: bool) -> str:
    for placeholder, value in values.items():
        template = template.replace(placeholder, html.escape(value) if escape else value)
    return template


def _render_newsletter(parts: dict[str, str], recipient: Recipient) -> Rendered:
    member_id = recipient.member_id or recipient.context.get("member_id")
    token = member_token(member_id, UNSUBSCRIBE) if member_id else ""
    values = {
        NAME: recipient.context.get("first_name", ""),
        UNSUBSCRIBE_URL: unsubscribe_url(token) if member_id else settings.SITE_URL,
        ARCHIVE_URL: archive_url(member_id) if member_id else settings.SITE_URL,
    }
    headers = {}
    if member_id:
        headers = {
            "List-Unsubscribe": f"<{values[UNSUBSCRIBE_URL]}>, <{unsubscribe_mailto(token)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": f"Nyhetsbrev <nyhetsbrev.{settings.SITE_URL.split('//')[-1]}>",
        }
    return Rendered(
        subject=parts["subject"],
        text=_fill(parts["text"], values, escape=False),
        html=_fill(parts["html"], values, escape=True),
        headers=headers,
    )


def _newsletter_still_wanted(member_ids: list[int], params: dict) -> set[int]:
    if params.get("test"):  # a test send goes to its writer whatever they chose
        return set(member_ids)
    return members_still_wanting(member_ids)


def _newsletter_finished(send_id: int) -> None:
    Newsletter.objects.filter(mail_send_id=send_id, state=Newsletter.State.SENDING).update(
        state=Newsletter.State.SENT, sent_at=timezone.now()
    )


def _render_reminder(params: dict, recipient: Recipient) -> Rendered:
    context = {
        "name": recipient.context.get("first_name", ""),
        "month": params["month"],
        "url": settings.SITE_URL + reverse("newsletters:create"),
    }
    return Rendered(
        subject=_("Påminnelse: månadens nyhetsbrev"),
        text=render_to_string("newsletters/email/reminder.txt", context),
        html=render_to_string("newsletters/email/reminder.html", context),
    )


kinds.register(
    Kind(
        name=NEWSLETTER,
        prepare=_prepare_newsletter,
        render=_render_newsletter,
        still_wanted=_newsletter_still_wanted,
        finished=_newsletter_finished,
    )
)
kinds.register(Kind(name=REMINDER, render=_render_reminder))
