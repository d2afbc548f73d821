"""Every mail the members app sends, one small function each: subject, text and HTML bodies
rendered from members/templates/members/email/. They return an unsent message so that the
transport (Django's mail today, the shared mail engine later) is chosen by the caller."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Member
from .tokens import SELF_SERVICE, member_token


def self_service_link(member: Member) -> str:
    token = member_token(member.pk, SELF_SERVICE)
    return f"{settings.SITE_URL}{reverse('members:self_service', kwargs={'token': token})}"


def _message(template: str, context: dict, to: str) -> EmailMultiAlternatives:
    context = {**context, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=render_to_string(f"members/email/{template}_subject.txt", context).strip(),
        body=render_to_string(f"members/email/{template}.txt", context),
        to=[to],
    )
    message.attach_alternative(
        render_to_string(f"members/email/{template}.html", context), "text/html"
    )
    return message


def welcome_email(*, member: Member) -> EmailMultiAlternatives:
    return _message(
        "welcome", {"member": member, "link": self_service_link(member)}, to=member.email
    )


def dues_reminder_email(*, reminder) -> EmailMultiAlternatives:
    # `reminder` is a dues.models.DuesReminder (this mail moves to dues with the mail work).
    invoice = reminder.invoice
    return _message(
        "dues_reminder",
        {
            "member": invoice.member,
            "invoice": invoice,
            "step": reminder.step,
            "swish_number": settings.KRETS_SWISH_NUMBER,
            "link": self_service_link(invoice.member),
        },
        to=invoice.member.email,
    )


def self_service_email(*, member: Member) -> EmailMultiAlternatives:
    return _message(
        "self_service",
        {
            "member": member,
            "link": self_service_link(member),
            "days": settings.KRETS_SELF_SERVICE_DAYS,
        },
        to=member.email,
    )
