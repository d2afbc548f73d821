"""Demo open doors: a few contacts who agreed to hear from us, sign-ups to the upcoming open
meetings (most confirmed, one through the running campaign's link), a first-timer who came to
a past open meeting, and two membership applications, one waiting and one approved.

Runs after meetings and campaigns (INSTALLED_APPS order). Every address is at example.org;
every row is found by its address before it is made, so loading twice adds nothing."""

import datetime

from django.utils import timezone

from campaigns.models import Campaign
from krets.demo import DEMO_DOMAIN, demo_year, within_this_month
from meetings.models import OPEN_KINDS, Meeting
from members.models import District, MemberTask

from . import services
from .models import (
    INVITE_CONSENT,
    MEMBERSHIP_CONSENT,
    MEMBERSHIP_TERMS,
    SIGNUP_CONSENT,
    Application,
    Contact,
    SignUp,
    Source,
)
from .selectors import public_meetings

# (first name, last name, local part, wants invitations)
VISITORS = [
    ("Linnea", "Berg", "besokare.linnea", True),
    ("Omar", "Haddad", "besokare.omar", True),
    ("Karin", "Sjödin", "besokare.karin", False),
]
FIRST_TIMER = ("Jonas", "Ek", "besokare.jonas")


def _address(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


def _contact(first, last, local, invite, *, source=Source.MEETING, detail="") -> Contact:
    now = timezone.now()
    contact, _ = Contact.objects.get_or_create(
        email=_address(local),
        defaults={
            "name": f"{first} {last}",
            "consent_text": SIGNUP_CONSENT + (f"\n{INVITE_CONSENT}" if invite else ""),
            "consent_at": now,
            "invite_consent": invite,
            "source": source,
            "source_detail": detail[:200],
            "last_activity_at": now,
        },
    )
    return contact


def _signup(meeting, contact: Contact | None, name: str, email: str, **fields) -> SignUp:
    signup, _ = SignUp.objects.get_or_create(
        meeting=meeting,
        email=email,
        defaults={
            "name": name,
            "consent_text": contact.consent_text if contact else SIGNUP_CONSENT,
            "invite_consent": bool(contact and contact.invite_consent),
            "contact": contact,
            **fields,
        },
    )
    return signup


def _applications() -> None:
    """One waiting for the medlemsansvarig, one approved through the real path (a member
    number, the welcome task and the first invoice)."""
    now = timezone.now()
    district = District.objects.filter(name="Storvik").first()
    base = {
        "consent_text": MEMBERSHIP_CONSENT,
        "terms_text": MEMBERSHIP_TERMS,
        "town": "Sandviken",
        "district": district,
        "verified_at": now - datetime.timedelta(days=2),
    }
    Application.objects.get_or_create(
        email=_address("ansokan.maja"),
        defaults={
            **base,
            "first_name": "Maja",
            "last_name": "Lindqvist",
            "birth_date": datetime.date(1994, 6, 12),
            "address": "Järnvägsgatan 4",
            "postcode": "811 31",
            "state": Application.State.PENDING,
            "source": Source.FORM,
        },
    )
    approved, _ = Application.objects.get_or_create(
        email=_address("ansokan.erik"),
        defaults={
            **base,
            "first_name": "Erik",
            "last_name": "Nordin",
            "birth_date": datetime.date(1988, 2, 3),
            "address": "Bruksgatan 12",
            "postcode": "811 34",
            "state": Application.State.PENDING,
            "source": Source.MEETING,
            "source_detail": "Kretsmöte: vinterns frågor",
        },
    )
    if approved.state == Application.State.PENDING:
        approved = services.application_approve(actor=None, application=approved)
        # The demo's open tasks all fall in this month (the medlemsansvarig's list).
        for task in MemberTask.objects.filter(member=approved.member, done_on=None):
            task.due_on = within_this_month(task.due_on)
            task.save(update_fields=["due_on"])


def load(stdout=None) -> None:
    now = timezone.now()
    upcoming = list(public_meetings()[:2])
    campaign = (
        Campaign.objects.filter(name=f"Hela Sandviken ska leva {demo_year()}").first()
        or Campaign.objects.filter(status=Campaign.Status.RUNNING).first()
    )
    contacts = [_contact(first, last, local, invite) for first, last, local, invite in VISITORS]
    for index, meeting in enumerate(upcoming):
        for contact in contacts[index:]:
            _signup(meeting, contact, contact.name, contact.email, confirmed_at=now)
    if upcoming and campaign is not None:
        # Came through the campaign's link (?kampanj=).
        from_campaign = _contact(
            "Sara", "Holm", "besokare.sara", True, source=Source.CAMPAIGN, detail=campaign.name
        )
        _signup(
            upcoming[-1],
            from_campaign,
            from_campaign.name,
            from_campaign.email,
            confirmed_at=now,
            source=Source.CAMPAIGN,
            source_detail=campaign.name[:200],
            campaign=campaign,
        )
    if upcoming:  # not yet confirmed: shown to nobody, erased after a week if never confirmed
        _signup(upcoming[0], None, "Per Olsson", _address("besokare.per"))

    past = (
        Meeting.objects.filter(kind__in=OPEN_KINDS, status=Meeting.Status.DECIDED, ends_at__lt=now)
        .order_by("-starts_at")
        .first()
    )
    if past is not None:
        first, last, local = FIRST_TIMER
        contact = _contact(first, last, local, True)
        _signup(
            past,
            contact,
            contact.name,
            contact.email,
            confirmed_at=past.starts_at - datetime.timedelta(days=3),
            attended=True,
            first_time=True,
            attendance_recorded_at=past.ends_at,
        )
    _applications()
    if stdout:
        stdout.write(
            f"visitors: {Contact.objects.count()} contacts, "
            f"{SignUp.objects.count()} sign-ups, {Application.objects.count()} applications"
        )
