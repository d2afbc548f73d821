"""The open doors' mail, through the one road (krets.mail). Templates in
visitors/templates/visitors/email/. None of these goes to a member as a member: a sign-up's
and an applicant's address is only the address they typed.

Every mail to a contact (an invitation, a reminder, a moved or cancelled meeting) carries an
RFC 8058 one-click `List-Unsubscribe` and a visible link: POSTing it withdraws the contact's
consent to invitations (visitors.services.contact_unsubscribe)."""

import datetime
from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, vCalAddress

from krets.mail.kinds import Attachment, Kind, Recipient, register
from meetings import ical
from meetings.models import Meeting
from members.models import Member

from . import tokens
from .models import Application, Contact, SignUp

SIGNUP_CONFIRM = "visitors.signup_confirm"
SIGNUP_REMINDER = "visitors.signup_reminder"
APPLICATION_VERIFY = "visitors.application_verify"
ALREADY_MEMBER = "visitors.already_member"
CONTACT_INVITATION = "visitors.contact_invitation"
SIGNUP_NOTICE = "visitors.signup_notice"  # the meeting signed up for moved or was cancelled
APPLICATION_DECLINED = "visitors.application_declined"


def _url(name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"


def unsubscribe_url(contact_id: int | None) -> str:
    if contact_id is None:
        return ""
    token = tokens.make_lasting(tokens.CONTACT_UNSUBSCRIBE, contact_id)
    return _url("visitors:unsubscribe", token=token)


def _list_headers(context: dict) -> dict[str, str]:
    """RFC 8058 one-click: the mail app POSTs `List-Unsubscribe=One-Click` to the HTTPS link.
    Only a contact's mail has it (a member's sign-up mail is not the contact list's); the
    relay's DKIM signature must cover both headers (RFC 8058 §3.1)."""
    if not context.get("unsubscribe_url"):
        return {}
    host = settings.SITE_URL.split("//")[-1].split("/")[0]
    return {
        "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Inbjudningar till kretsens öppna möten <oppet.{host}>",
    }


def _signup(prepared, recipient: Recipient) -> dict:
    signup = SignUp.objects.select_related("meeting", "meeting__district").get(
        pk=recipient.context["signup_id"]
    )
    return {
        "unsubscribe_url": unsubscribe_url(signup.contact_id),
        "signup": signup,
        "meeting": signup.meeting,
        "when": ical.when_text(signup.meeting),
        "confirm_url": _url(
            "visitors:signup_confirm", token=tokens.make(tokens.SIGNUP_CONFIRM, signup.pk)
        ),
        "meeting_url": _url("visitors:meeting", pk=signup.meeting_id),
        "ics_url": _url("visitors:meeting_ics", pk=signup.meeting_id),
    }


def _application(prepared, recipient: Recipient) -> dict:
    application = Application.objects.get(pk=recipient.context["application_id"])
    return {
        "application": application,
        "verify_url": _url(
            "visitors:join_verify", token=tokens.make(tokens.APPLICATION_VERIFY, application.pk)
        ),
    }


def _invitation(prepared, recipient: Recipient) -> dict:
    meeting = Meeting.objects.select_related("district").get(pk=recipient.context["meeting_id"])
    return {
        "contact": Contact.objects.get(pk=recipient.context["contact_id"]),
        "meeting": meeting,
        "meeting_url": _url("visitors:meeting", pk=meeting.pk),
        "unsubscribe_url": unsubscribe_url(recipient.context["contact_id"]),
    }


def _signup_notice(params: dict, recipient: Recipient) -> dict:
    changes = set(params.get("changes", []))
    before = dict(params.get("before", {}))
    if before.get("starts_at"):
        was = Meeting(
            starts_at=datetime.datetime.fromisoformat(before["starts_at"]),
            ends_at=datetime.datetime.fromisoformat(before["ends_at"]),
        )
        before["when"] = ical.when_text(was)
    return {
        **_signup(params, recipient),
        "cancelled": "cancelled" in changes,
        "time_changed": "time" in changes,
        "place_changed": "place" in changes,
        "before": before,
        "index_url": _url("visitors:index"),
    }


def cancel_ics_bytes(meeting: Meeting, attendee: str) -> bytes:
    """The meeting as an iTIP CANCEL (RFC 5546 §3.2.5): same UID, the raised SEQUENCE and
    STATUS:CANCELLED, with the ORGANIZER and the one ATTENDEE a CANCEL must name, so a calendar
    that added the public `.ics` removes the event. Built from meetings.ical's event and
    time zone; meetings' own notices stay PUBLISH (see meetings/mail_kinds.py)."""
    calendar = Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL")
    calendar.add("calscale", "GREGORIAN")
    calendar.add_component(ical.vtimezone())
    event = ical.meeting_event(meeting)
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = name or address
    event.add("organizer", organizer)
    event.add("attendee", vCalAddress(f"mailto:{attendee}"))
    calendar.add_component(event)
    return calendar.to_ical()


def _notice_ics(context: dict) -> list[Attachment]:
    """A cancelled meeting: METHOD:CANCEL. A moved one: PUBLISH with the new time (a higher
    SEQUENCE replaces the event the person added), as meetings does for members."""
    meeting = context["meeting"]
    if context["cancelled"]:
        content, method = cancel_ics_bytes(meeting, context["signup"].email), "CANCEL"
    else:
        content, method = ical.meeting_ics_bytes(meeting, method="PUBLISH"), "PUBLISH"
    return [
        Attachment(
            filename=ical.meeting_ics_filename(meeting),
            content=content,
            content_type=f"text/calendar; method={method}; charset=utf-8",
        )
    ]


def _declined(prepared, recipient: Recipient) -> dict:
    return {"application": Application.objects.get(pk=recipient.context["application_id"])}


def _already_member(prepared, recipient: Recipient) -> dict:
    return {"member": Member.objects.get(pk=recipient.member_id)}


register(Kind(name=SIGNUP_CONFIRM, template="visitors/email/signup_confirm", context=_signup))
register(
    Kind(
        name=SIGNUP_REMINDER,
        template="visitors/email/signup_reminder",
        context=_signup,
        headers=_list_headers,
    )
)
register(Kind(name=APPLICATION_VERIFY, template="visitors/email/join_verify", context=_application))
register(
    Kind(name=ALREADY_MEMBER, template="visitors/email/already_member", context=_already_member)
)
register(
    Kind(
        name=CONTACT_INVITATION,
        template="visitors/email/contact_invitation",
        context=_invitation,
        headers=_list_headers,
    )
)
register(
    Kind(
        name=SIGNUP_NOTICE,
        label=_("Meddelande till anmälda om ändrat möte"),
        template="visitors/email/signup_notice",
        context=_signup_notice,
        headers=_list_headers,
        attachments=_notice_ics,
    )
)
register(
    Kind(
        name=APPLICATION_DECLINED,
        template="visitors/email/application_declined",
        context=_declined,
    )
)
