"""The one message builder (krets/mail/messages.py) and the one road for mail.

Every registered kind is sent through the engine with a name or title full of characters that
HTML escapes: the subject and the plain text must carry them as written, the HTML escaped.
"""

import ast
import html
import uuid
from pathlib import Path

import pytest
from django.core import mail

from dues.models import DuesReminder
from krets.mail import kinds
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.models import BoardFunction
from tests.factories import (
    BoardAssignmentFactory,
    BodyAssignmentFactory,
    MemberFactory,
    UserFactory,
)

from .fixtures.dues import invoice_for
from .fixtures.goals import ThemeDocumentFactory
from .fixtures.meetings import InvitationFactory

NASTY = 'Möte & fika <i>"Kaffe"</i> hos O\'Brien'
# What autoescaping makes of it: the HTML part must show this, never the raw markup.
ESCAPED = html.escape(NASTY, quote=True)


def _member(**fields):
    return MemberFactory(first_name=NASTY, email=f"{uuid.uuid4().hex[:8]}@example.org", **fields)


def _invitation():
    user = UserFactory(first_name=NASTY)
    return [Recipient(user.email, None, {"user_id": user.pk})], {}, False


def _politician_invitation():
    """A politician's account: their name and the body they sit in, both as written."""
    user = UserFactory(first_name=NASTY)
    seat = BodyAssignmentFactory(member=_member(user=user), body__name=NASTY)
    assert seat.member.user == user
    return [Recipient(user.email, None, {"user_id": user.pk})], {}, False


def _member_mail():
    member = _member()
    return [Recipient(member.email, member.pk)], {}, False


def _dues_reminder():
    member = _member()
    reminder = DuesReminder.objects.create(
        invoice=invoice_for(member), step=1, created_on=member.joined_on
    )
    return [Recipient(member.email, member.pk, {"reminder_id": reminder.pk})], {}, False


def _dues_invoice():
    member = _member()
    invoice = invoice_for(member)
    return [Recipient(member.email, member.pk, {"invoice_id": invoice.pk})], {}, False


def _meeting_mail():
    invitation = InvitationFactory(meeting__title=NASTY, member=_member())
    member = invitation.member
    return [Recipient(member.email, member.pk, {"invitation_id": invitation.pk})], {}, True


def _adjust_request():
    from meetings.models import Adjuster

    invitation = InvitationFactory(meeting__title=NASTY, member=_member())
    adjuster = Adjuster.objects.create(meeting=invitation.meeting, member=invitation.member)
    member = invitation.member
    return [Recipient(member.email, member.pk, {"adjuster_id": adjuster.pk})], {}, True


def _meeting_notice():
    invitation = InvitationFactory(meeting__title=NASTY, member=_member())
    member = invitation.member
    meeting = invitation.meeting
    params = {
        "meeting_id": meeting.pk,
        "changes": ["time", "place"],
        "before": {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "where": NASTY,
        },
    }
    return [Recipient(member.email, member.pk, {"invitation_id": invitation.pk})], params, True


def _document_mail():
    from goals.models import DocumentEvent

    document = ThemeDocumentFactory(title=NASTY, group__topic=NASTY)
    event = DocumentEvent.objects.create(document=document, kind="inlamnad", comment=NASTY)
    return [Recipient("kommunikation@example.org")], {"event_id": event.pk}, True


def _newsletter():
    from newsletters.models import Newsletter

    member = _member(newsletter_consent=True)
    letter = Newsletter.objects.create(subject=NASTY, body="Hej **alla**")
    recipient = Recipient(member.email, member.pk, {"first_name": member.first_name})
    return [recipient], {"newsletter_id": letter.pk}, True


def _newsletter_reminder():
    member = _member()
    BoardAssignmentFactory(member=member, function=BoardFunction.COMMUNICATION)
    recipient = Recipient(member.email, member.pk, {"first_name": member.first_name})
    return [recipient], {"month": "2026-05"}, False


def _signup():
    from visitors.models import SignUp

    meeting = InvitationFactory(meeting__title=NASTY).meeting
    signup = SignUp.objects.create(
        meeting=meeting, name=NASTY, email="besok@example.org", consent_text="Ja"
    )
    return [Recipient(signup.email, None, {"signup_id": signup.pk})], {}, False


def _application():
    from visitors.models import Application

    application = Application.objects.create(
        first_name=NASTY, last_name="Ny", email="ny@example.org", consent_text="Ja", terms_text="Ja"
    )
    return [Recipient(application.email, None, {"application_id": application.pk})], {}, False


def _already_member():
    member = _member()
    return [Recipient(member.email, member.pk)], {}, False


def _contact_invitation():
    from django.utils import timezone

    from visitors.models import Contact

    meeting = InvitationFactory(meeting__title=NASTY).meeting
    now = timezone.now()
    contact = Contact.objects.create(
        name=NASTY,
        email="kontakt@example.org",
        consent_text="Ja",
        consent_at=now,
        invite_consent=True,
        source="formular",
        last_activity_at=now,
    )
    context = {"contact_id": contact.pk, "meeting_id": meeting.pk}
    return [Recipient(contact.email, None, context)], {}, True


def _signup_notice():
    from django.utils import timezone

    from meetings.models import Meeting
    from visitors.models import Contact, SignUp

    meeting = InvitationFactory(
        meeting__title=NASTY, meeting__status=Meeting.Status.CANCELLED
    ).meeting
    now = timezone.now()
    contact = Contact.objects.create(
        name=NASTY,
        email="kontakt@example.org",
        consent_text="Ja",
        consent_at=now,
        invite_consent=True,
        source="mote",
        last_activity_at=now,
    )
    signup = SignUp.objects.create(
        meeting=meeting,
        name=NASTY,
        email=contact.email,
        consent_text="Ja",
        confirmed_at=now,
        contact=contact,
    )
    params = {
        "meeting_id": meeting.pk,
        "changes": ["cancelled", "time"],
        "before": {
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat(),
            "where": NASTY,
        },
    }
    return [Recipient(signup.email, None, {"signup_id": signup.pk})], params, True


def _declined_application():
    from visitors.models import Application

    application = Application.objects.create(
        first_name=NASTY,
        last_name="Ny",
        email="ny@example.org",
        consent_text="Ja",
        terms_text="Ja",
        state=Application.State.DECLINED,
        decline_reason=NASTY,
    )
    return [Recipient(application.email, None, {"application_id": application.pk})], {}, False


def _login_email_confirm():
    user = UserFactory(first_name=NASTY)
    return [Recipient("ny-adress@example.org", None, {"user_id": user.pk})], {}, False


# Mail about an address, not a person: it must render, and it must not name the member (the
# address may not be theirs yet, and the old address may be read by someone else).
NAMELESS = {
    "members.email_confirm": _member_mail,
    "members.email_change_notice": _member_mail,
    "members.data_link": _member_mail,
    "members.login_email_confirm": _login_email_confirm,
}


# kind -> what to send: (recipients, params, does the subject carry the nasty text?)
CASES = {
    "members.invitation": _invitation,
    "members.politician_invitation": _politician_invitation,
    "members.welcome": _member_mail,
    "members.self_service": _member_mail,
    "members.dues_reminder": _dues_reminder,
    "dues.invoice": _dues_invoice,
    "meetings.invitation": _meeting_mail,
    "meetings.reminder": _meeting_mail,
    "meetings.adjust_request": _adjust_request,
    "meetings.notice": _meeting_notice,
    "goals.document_submitted": _document_mail,
    "goals.document_published": _document_mail,
    "goals.document_returned": _document_mail,
    "newsletters.newsletter": _newsletter,
    "newsletters.reminder": _newsletter_reminder,
    "visitors.signup_confirm": _signup,
    "visitors.signup_reminder": _signup,
    "visitors.application_verify": _application,
    "visitors.already_member": _already_member,
    "visitors.contact_invitation": _contact_invitation,
    "visitors.signup_notice": _signup_notice,
    "visitors.application_declined": _declined_application,
}


def test_every_registered_kind_is_checked_here():
    assert sorted(kinds._kinds) == sorted({**CASES, **NAMELESS})


@pytest.mark.django_db
@pytest.mark.usefixtures("tasks_in_process")
@pytest.mark.parametrize("kind", sorted(NAMELESS))
def test_mail_about_an_address_renders_without_naming_the_person(
    kind, django_capture_on_commit_callbacks
):
    recipients, params, _ = NAMELESS[kind]()
    with django_capture_on_commit_callbacks(execute=True):
        mail_send_start(kind=kind, key=f"test:{kind}", recipients=recipients, params=params)

    [message] = mail.outbox
    html_part, _ = message.alternatives[0]
    assert message.subject and "\n" not in message.subject
    assert "&amp;" not in message.body and "&lt;" not in message.body
    for text in (message.subject, message.body, html_part):
        assert "Möte & fika" not in text and "Möte &amp; fika" not in text


@pytest.mark.django_db
@pytest.mark.usefixtures("tasks_in_process")
@pytest.mark.parametrize("kind", sorted(CASES))
def test_subject_and_text_carry_the_text_as_written_and_html_escapes_it(
    kind, django_capture_on_commit_callbacks
):
    recipients, params, in_subject = CASES[kind]()
    with django_capture_on_commit_callbacks(execute=True):
        mail_send_start(kind=kind, key=f"test:{kind}", recipients=recipients, params=params)

    [message] = mail.outbox
    html_part, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    if in_subject:
        assert NASTY in message.subject
    assert "&amp;" not in message.subject and "&#x27;" not in message.subject
    assert "\n" not in message.subject
    assert NASTY in message.body
    assert "&amp;" not in message.body and "&lt;" not in message.body
    assert ESCAPED in html_part
    assert NASTY not in html_part


# --- one road ---------------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
# Only the engine talks to a mail server. Tests and benchmarks measure it from outside.
ALLOWED = ("krets/mail/", "tests/", "bench/", ".venv/")
MAIL_NAMES = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
    "send_messages",
    "smtplib",
    "SMTP",
    "SMTP_SSL",
}


def _offences(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("django.core.mail"):
            found.append(f"imports {node.module}")
        elif isinstance(node, ast.Import) and any(a.name == "smtplib" for a in node.names):
            found.append("imports smtplib")
        elif isinstance(node, ast.Name | ast.Attribute):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name in MAIL_NAMES:
                found.append(f"uses {name}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "send"
            and not node.args
            and not any(k.arg == "sender" for k in node.keywords)
        ):  # message.send(); a signal's .send(sender=...) is not mail
            found.append("calls .send() on a message")
    return [f"{path.relative_to(root)}: {what}" for what in found]


def test_no_module_outside_the_engine_sends_mail():
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(ALLOWED) or "/node_modules/" in relative:
            continue
        offences += _offences(path)
    assert offences == []


def test_the_scan_finds_a_module_that_sends_mail_itself(tmp_path):
    rogue = tmp_path / "rogue.py"
    rogue.write_text(
        "from django.core.mail import EmailMultiAlternatives\n"
        "def f(message):\n    message.send()\n",
        encoding="utf-8",
    )
    assert _offences(rogue, root=tmp_path) == [
        "rogue.py: imports django.core.mail",
        "rogue.py: calls .send() on a message",
    ]
