"""The open doors' mail, through the one road (krets.mail). Templates in
visitors/templates/visitors/email/. None of these goes to a member as a member: a sign-up's
and an applicant's address is only the address they typed."""

from django.conf import settings
from django.urls import reverse

from krets.mail.kinds import Kind, Recipient, register
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


def _url(name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}"


def _signup(prepared, recipient: Recipient) -> dict:
    signup = SignUp.objects.select_related("meeting", "meeting__district").get(
        pk=recipient.context["signup_id"]
    )
    return {
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
    }


def _already_member(prepared, recipient: Recipient) -> dict:
    return {"member": Member.objects.get(pk=recipient.member_id)}


register(Kind(name=SIGNUP_CONFIRM, template="visitors/email/signup_confirm", context=_signup))
register(Kind(name=SIGNUP_REMINDER, template="visitors/email/signup_reminder", context=_signup))
register(Kind(name=APPLICATION_VERIFY, template="visitors/email/join_verify", context=_application))
register(
    Kind(name=ALREADY_MEMBER, template="visitors/email/already_member", context=_already_member)
)
register(
    Kind(
        name=CONTACT_INVITATION,
        template="visitors/email/contact_invitation",
        context=_invitation,
    )
)
