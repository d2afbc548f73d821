"""The one message builder: every kind of mail is rendered here from its template set and
assembled into one multipart message.

A kind names a template set, Healthchecks' `templates/emails/` shape in each app:

    <app>/templates/<app>/email/<name>_subject.txt   the subject (one line)
    <app>/templates/<app>/email/<name>.txt           the plain-text part
    <app>/templates/<app>/email/<name>.html          the HTML part

The subject and the plain-text part are rendered with autoescaping off: they are not HTML, so
"Möte & fika" must not arrive as "Möte &amp; fika". The HTML part is always autoescaped; a
kind that passes ready HTML (a sanitised newsletter body) marks it safe itself.
"""

from collections.abc import Iterable
from email import encoders
from email.mime.base import MIMEBase
from email.utils import format_datetime, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context, engines
from django.utils import timezone

from .kinds import Attachment, Kind, Recipient, Rendered


def render_mail(
    template: str,
    context: dict,
    *,
    headers: dict[str, str] | None = None,
    attachments: Iterable[Attachment] = (),
) -> Rendered:
    """Subject, text and HTML of one mail from the template set `template` (without suffix)."""
    context = {"site_url": settings.SITE_URL, **context}
    subject = _render(f"{template}_subject.txt", context, autoescape=False)
    return Rendered(
        subject=" ".join(subject.split()),  # one line: a header cannot hold a line break
        text=_render(f"{template}.txt", context, autoescape=False),
        html=_render(f"{template}.html", context, autoescape=True),
        headers=headers or {},
        attachments=tuple(attachments),
    )


def render_kind(kind: Kind, prepared, recipient: Recipient) -> Rendered:
    """One recipient's mail of a kind: the kind gives the context, the builder renders it."""
    context = kind.context(prepared, recipient)
    return render_mail(
        kind.template,
        context,
        headers=kind.headers(context),
        attachments=kind.attachments(context),
    )


def _render(name: str, context: dict, *, autoescape: bool) -> str:
    # The engine's own Template (not the backend wrapper) takes a Context, and with it the
    # autoescape switch; the cached loader keeps the compiled template between mails.
    template = engines["django"].engine.get_template(name)
    return template.render(Context(context, autoescape=autoescape))


def build_message(
    *, send_id: int, delivery_id: int, email: str, rendered: Rendered
) -> EmailMultiAlternatives:
    """A multipart (text and HTML) mail from the chapter with a stable Message-ID.

    The Message-ID names the delivery, so a copy sent twice after a crash carries the same id.
    """
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    headers = {
        "Message-ID": f"<krets.{send_id}.{delivery_id}@{domain}>",
        "Date": format_datetime(timezone.localtime()),  # with Stockholm's offset, not -0000
        **rendered.headers,
    }
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers=headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    for attachment in rendered.attachments:
        message.attach(_attachment_part(attachment))
    return message


def _attachment_part(attachment: Attachment) -> MIMEBase:
    """One attachment as a MIME part that keeps its Content-Type parameters.

    Django's `attach(filename, content, mimetype)` would drop `method=PUBLISH` from a
    text/calendar part (it builds the part from the bare type); calendar apps read that
    parameter to offer "add to calendar" in one tap (RFC 6047 §2.4).
    """
    maintype, _, rest = attachment.content_type.partition("/")
    subtype, *params = (part.strip() for part in rest.split(";"))
    part = MIMEBase(maintype, subtype)
    for param in params:
        name, _, value = param.partition("=")
        part.set_param(name.strip(), value.strip())
    part.set_payload(attachment.content)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
    return part
