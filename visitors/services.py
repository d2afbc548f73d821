"""Writes of the open doors: sign-ups, contacts, membership applications, leaving.

Public forms call these without an actor (None) and with the client's address; the audit log
names people by id (`anmalan:12`, `kontakt:3`, `ansokan:5`), never by their text. Every service
answers the same way whether or not an address belongs to a member: what differs is only the
mail that address receives.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from krets.audit import Action, audit_log
from krets.errors import Invalid
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from meetings.models import Meeting
from members import services as member_services
from members.dates import months_before
from members.models import Member, MemberTask, User

from . import mail_kinds
from .first_invoice import first_invoice_send
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
from .tokens import LINK_DAYS

SELF_LABEL = "besökaren själv"
GOODBYE_WITHIN_DAYS = 7


def _active_member(email: str) -> Member | None:
    return Member.objects.filter(
        email__iexact=email.strip(), left_on__isnull=True, anonymised_on__isnull=True
    ).first()


def _log(
    target: str,
    step: str,
    detail: dict | None = None,
    *,
    actor: User | None = None,
    ip: str | None = None,
) -> None:
    """One audit event of the open doors' own kind (krets.audit_sentences has a sentence per
    step), so the log tells a visitor's sign-up from an edit of a member's details."""
    audit_log(
        actor=actor,
        action=Action.VISITOR_ACTION,
        target=target,
        detail={"step": step, **(detail or {})},
        actor_label="" if actor else SELF_LABEL,
        ip=ip,
    )


# --- Sign-ups ------------------------------------------------------------------------------


@transaction.atomic
def signup_request(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    phone: str = "",
    invite_consent: bool = False,
    source: str = Source.MEETING,
    source_detail: str = "",
    campaign: Campaign | None = None,
    ip: str | None = None,
) -> SignUp:
    """Record an anmälan and mail the link that confirms it. A second request for the same
    meeting and address before confirming mails the link again; after, nothing changes.
    `source` is the meeting's own page, or the campaign whose link (?kampanj=) brought them."""
    if not public_meetings().filter(pk=meeting.pk).exists():
        raise Invalid("Mötet tar inte emot anmälningar.")
    email = email.strip().lower()
    signup = SignUp.objects.filter(meeting=meeting, email=email, erased_at__isnull=True).first()
    if signup is not None and signup.confirmed_at is not None:
        return signup
    if signup is None:
        signup = SignUp(meeting=meeting, email=email)
    signup.name, signup.phone = name.strip(), phone.strip()
    signup.consent_text = SIGNUP_CONSENT + (f"\n{INVITE_CONSENT}" if invite_consent else "")
    signup.invite_consent = invite_consent
    signup.source, signup.source_detail = source, source_detail[:200]
    signup.campaign = campaign
    signup.save()
    _log(f"anmalan:{signup.pk}", "signup_requested", {"meeting": meeting.pk}, ip=ip)
    mail_send_start(
        kind=mail_kinds.SIGNUP_CONFIRM,
        key=f"{mail_kinds.SIGNUP_CONFIRM}:{signup.pk}:{timezone.now().timestamp()}",
        recipients=[Recipient(email, None, {"signup_id": signup.pk})],
    )
    return signup


@transaction.atomic
def signup_confirm(*, signup: SignUp, ip: str | None = None) -> SignUp:
    """The person opened the mailed link: the sign-up counts, and belongs to the member with
    that address or else to a contact (created or refreshed with this consent)."""
    signup = SignUp.objects.select_for_update().get(pk=signup.pk)
    if signup.confirmed_at is not None or signup.erased_at is not None:
        return signup
    now = timezone.now()
    signup.confirmed_at = now
    member = _active_member(signup.email)
    if member is not None:
        signup.member = member
    else:
        contact, created = Contact.objects.get_or_create(
            email=signup.email,
            defaults={
                "name": signup.name,
                "phone": signup.phone,
                "consent_text": signup.consent_text,
                "consent_at": now,
                "invite_consent": signup.invite_consent,
                "source": signup.source,
                "source_detail": signup.source_detail or signup.meeting.title[:200],
                "last_activity_at": now,
            },
        )
        if not created:
            contact.name, contact.phone = signup.name, signup.phone or contact.phone
            contact.consent_text, contact.consent_at = signup.consent_text, now
            contact.invite_consent = signup.invite_consent
            contact.last_activity_at = now
            contact.save()
        signup.contact = contact
    signup.save()
    _log(f"anmalan:{signup.pk}", "signup_confirmed", {"meeting": signup.meeting_id}, ip=ip)
    return signup


@transaction.atomic
def signups_attendance_record(
    *, actor: User, meeting: Meeting, attended_ids: set[int], ip: str | None = None
) -> int:
    """The organiser ticks who came. A contact's first attended meeting is their first time.
    Only from the meeting's start, as the meeting's own attendance: a tick made beforehand
    would count a first-time attendee in the funnel who may never come."""
    now = timezone.now()
    if meeting.starts_at > now:
        raise Invalid(_("Närvaron kan registreras först när mötet har börjat."))
    if meeting.minutes_locked:  # the adjusted protocol lists who came
        raise Invalid(_("Protokollet är justerat: närvaron kan inte ändras."))
    changed = 0
    for signup in meeting.signups.filter(confirmed_at__isnull=False, erased_at__isnull=True):
        came = signup.pk in attended_ids
        if signup.attended == came:
            continue
        signup.attended, signup.attendance_recorded_at = came, now
        signup.first_time = (
            came
            and signup.member_id is None
            and not SignUp.objects.filter(email=signup.email, attended=True)
            .exclude(pk=signup.pk)
            .exists()
        )
        signup.save(update_fields=["attended", "attendance_recorded_at", "first_time"])
        if signup.contact_id and came:
            Contact.objects.filter(pk=signup.contact_id).update(last_activity_at=now)
        changed += 1
    _log(f"mote:{meeting.pk}", "attendance", {"rows": changed}, actor=actor, ip=ip)
    return changed


def signup_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind confirmed sign-ups whose meeting starts within MEETING_REMINDER_HOURS. Each
    sign-up is claimed by a conditional update, so a second run sends nothing twice."""
    now = now or timezone.now()
    due = SignUp.objects.filter(
        confirmed_at__isnull=False,
        reminded_at__isnull=True,
        erased_at__isnull=True,
        meeting__status=Meeting.Status.DECIDED,
        meeting__starts_at__gt=now,
        meeting__starts_at__lte=now
        + datetime.timedelta(hours=settings.KRETS_MEETING_REMINDER_HOURS),
    ).values_list("pk", "email")
    sent = 0
    for pk, email in due:
        with transaction.atomic():
            if not SignUp.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            mail_send_start(
                kind=mail_kinds.SIGNUP_REMINDER,
                key=f"{mail_kinds.SIGNUP_REMINDER}:{pk}",
                recipients=[Recipient(email, None, {"signup_id": pk})],
            )
            sent += 1
    return sent


@transaction.atomic
def contacts_invite(*, actor: User, meeting: Meeting, ip: str | None = None) -> int:
    """Invite to an open meeting the contacts who agreed to be invited (once per meeting and
    contact, however often the button is pressed); never a contact who did not agree."""
    if not public_meetings().filter(pk=meeting.pk).exists():
        raise Invalid("Bara kommande öppna möten kan få inbjudningar.")
    contacts = Contact.objects.filter(invite_consent=True).exclude(
        email__in=meeting.signups.values("email")
    )
    invited = 0
    for contact in contacts:
        send = mail_send_start(
            kind=mail_kinds.CONTACT_INVITATION,
            key=f"{mail_kinds.CONTACT_INVITATION}:{meeting.pk}:{contact.pk}",
            recipients=[
                Recipient(contact.email, None, {"contact_id": contact.pk, "meeting_id": meeting.pk})
            ],
        )
        invited += send.total
    _log(f"mote:{meeting.pk}", "contacts_invited", {"recipients": invited}, actor=actor, ip=ip)
    return invited


def signups_meeting_changed(change) -> int:
    """A meeting was moved or cancelled (meetings/parts.py `changed`, inside that transaction):
    mail those whose sign-up is confirmed, with the cancelled or moved `.ics`, except anyone
    the meetings notice already mails (a member both invited and signed up gets one mail).
    Once per change: the send's key is the meeting and its SEQUENCE."""
    meeting = change.meeting
    signups = (
        meeting.signups.filter(confirmed_at__isnull=False, erased_at__isnull=True)
        .exclude(email="")
        .order_by("pk")
    )
    recipients, seen = [], set(change.notified_emails)
    for signup in signups:
        email = signup.email.lower()
        if email in seen or signup.member_id in change.notified_member_ids:
            continue
        seen.add(email)
        recipients.append(Recipient(signup.email, None, {"signup_id": signup.pk}))
    if not recipients:
        return 0
    mail_send_start(
        kind=mail_kinds.SIGNUP_NOTICE,
        key=f"{mail_kinds.SIGNUP_NOTICE}:{meeting.pk}:{meeting.sequence}",
        recipients=recipients,
        params={
            "meeting_id": meeting.pk,
            "changes": list(change.changes),
            "before": change.before,
        },
        started_by=change.actor,
    )
    return len(recipients)


# --- Bli medlem --------------------------------------------------------------------------


@transaction.atomic
def application_submit(*, data: dict, ip: str | None = None) -> Application | None:
    """A "Bli medlem" form that passed validation. An address that already belongs to a
    member gets a friendly mail instead (the page says the same either way)."""
    email = data["email"].strip().lower()
    member = _active_member(email)
    if member is not None:
        day = timezone.localdate().isoformat()
        digest = hashlib.sha256(email.encode()).hexdigest()[:24]
        mail_send_start(
            kind=mail_kinds.ALREADY_MEMBER,
            key=f"{mail_kinds.ALREADY_MEMBER}:{digest}:{day}",  # at most one a day
            recipients=[Recipient(member.email, member.pk)],
        )
        return None
    application = Application.objects.create(
        **{**data, "email": email},
        consent_text=MEMBERSHIP_CONSENT,
        terms_text=MEMBERSHIP_TERMS,
    )
    _log(f"ansokan:{application.pk}", "application_submitted", ip=ip)
    mail_send_start(
        kind=mail_kinds.APPLICATION_VERIFY,
        key=f"{mail_kinds.APPLICATION_VERIFY}:{application.pk}:{timezone.now().timestamp()}",
        recipients=[Recipient(email, None, {"application_id": application.pk})],
    )
    return application


def application_verify(*, application: Application, ip: str | None = None) -> Application:
    """The applicant opened the mailed link: the application waits for a decision, or is
    approved at once when MEMBERSHIP_AUTO_APPROVE is on."""
    with transaction.atomic():
        moved = Application.objects.filter(
            pk=application.pk, state=Application.State.UNVERIFIED
        ).update(state=Application.State.PENDING, verified_at=timezone.now())
        if moved:
            _log(f"ansokan:{application.pk}", "application_verified", ip=ip)
    application.refresh_from_db()
    if moved and settings.KRETS_MEMBERSHIP_AUTO_APPROVE:
        application = application_approve(actor=None, application=application, ip=ip)
    return application


@transaction.atomic
def application_approve(
    *, actor: User | None, application: Application, ip: str | None = None
) -> Application:
    """Make the applicant a member: a number, the welcome task and mail (member_create), and
    the first invoice with the Swish link. A contact with the same address stops being one."""
    if not Application.objects.filter(pk=application.pk, state=Application.State.PENDING).update(
        state=Application.State.APPROVED, decided_at=timezone.now(), decided_by=actor
    ):
        raise Invalid("Ansökan är redan avgjord eller inte bekräftad.")
    application.refresh_from_db()
    if (existing := _active_member(application.email)) is not None:
        member = existing  # joined another way meanwhile: nothing to create twice
    else:
        source = application.source_detail or str(Source(application.source).label)
        member = member_services.member_create(
            actor=actor,
            data={
                "first_name": application.first_name,
                "last_name": application.last_name,
                "birth_date": application.birth_date,
                "address": application.address,
                "postcode": application.postcode,
                "town": application.town,
                "district": application.district,
                "email": application.email,
                "phone": application.phone,
                "recruitment_source": f"Bli medlem ({source})"[:200],
            },
            ip=ip,
        )
        first_invoice_send(actor=actor, member=member, fee_name=application.fee_name)
    application.member = member
    application.save(update_fields=["member"])
    contact = Contact.objects.filter(email__iexact=application.email).first()
    if contact is not None:
        contact.signups.update(member=member, contact=None)
        contact.delete()
    _log(
        f"ansokan:{application.pk}",
        "application_approved",
        {"member": member.pk},
        actor=actor,
        ip=ip,
    )
    return application


@transaction.atomic
def application_decline(
    *, actor: User, application: Application, reason: str = "", ip: str | None = None
) -> Application:
    """Say no, politely: the applicant gets a mail (with the reason when one is given). The
    application stays as declined until the retention job erases it."""
    if not Application.objects.filter(pk=application.pk, state=Application.State.PENDING).update(
        state=Application.State.DECLINED,
        decided_at=timezone.now(),
        decided_by=actor,
        decline_reason=reason.strip()[:2000],
    ):
        raise Invalid("Ansökan är redan avgjord eller inte bekräftad.")
    # The log says whether a reason was given, never the reason (it is text about a person).
    _log(
        f"ansokan:{application.pk}",
        "application_declined",
        {"reason_given": bool(reason.strip())},
        actor=actor,
        ip=ip,
    )
    application.refresh_from_db()
    mail_send_start(
        kind=mail_kinds.APPLICATION_DECLINED,
        key=f"{mail_kinds.APPLICATION_DECLINED}:{application.pk}",
        recipients=[Recipient(application.email, None, {"application_id": application.pk})],
        started_by=actor,
    )
    return application


# --- Leaving -----------------------------------------------------------------------------


@transaction.atomic
def member_resign(*, member: Member, reason: str = "", ip: str | None = None) -> None:
    """Utträde in one step from "Mina uppgifter": the member has left today (members'
    retention clock starts), no newsletter from now on, and the medlemsansvarig gets a task
    to say goodbye."""
    if member.left_on is not None:
        return
    today = timezone.localdate()
    member_services.member_leave(
        actor=None, member=member, left_on=today, reason=reason.strip()[:200], ip=ip
    )
    Member.objects.filter(pk=member.pk).update(newsletter_consent=False, newsletter_consent_on=None)
    MemberTask.objects.get_or_create(
        member=member,
        kind=MemberTask.Kind.GOODBYE,
        year=0,
        defaults={"due_on": today + datetime.timedelta(days=GOODBYE_WITHIN_DAYS)},
    )


# --- Retention ---------------------------------------------------------------------------

_BLANK = {"name": "", "email": "", "phone": "", "consent_text": "", "contact": None}


@transaction.atomic
def contact_invite_consent_withdraw(
    *, contact: Contact, actor: User | None = None, ip: str | None = None
) -> Contact:
    """No more invitations to open meetings: from the contact's own one-click link (actor
    None) or by the medlemsansvarig who was told so. Again changes nothing and logs nothing."""
    if Contact.objects.filter(pk=contact.pk, invite_consent=True).update(invite_consent=False):
        _log(f"kontakt:{contact.pk}", "invite_consent_withdrawn", actor=actor, ip=ip)
    contact.refresh_from_db()
    return contact


@transaction.atomic
def contact_erase(*, contact: Contact, actor: User | None = None, ip: str | None = None) -> None:
    """Erase a contact. Their sign-ups stay as blank rows so past months keep their counts."""
    contact.signups.update(erased_at=timezone.now(), **_BLANK)
    _log(f"kontakt:{contact.pk}", "contact_erased", actor=actor, ip=ip)
    contact.delete()


def contacts_erase_due(*, now: datetime.datetime | None = None) -> int:
    """The daily retention job: contacts whose last activity is older than
    CONTACT_RETENTION_MONTHS, sign-ups never confirmed and applications never verified or
    declined, once their links can no longer be used. Running it twice erases nothing twice."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    cutoff_day = months_before(today, settings.KRETS_CONTACT_RETENTION_MONTHS)
    cutoff = timezone.make_aware(datetime.datetime.combine(cutoff_day, datetime.time.min))
    erased = 0
    for contact in Contact.objects.filter(last_activity_at__lt=cutoff):
        contact_erase(contact=contact)
        erased += 1
    stale = now - datetime.timedelta(days=LINK_DAYS + 1)
    SignUp.objects.filter(
        confirmed_at__isnull=True, erased_at__isnull=True, created_at__lt=stale
    ).update(erased_at=now, **_BLANK)
    Application.objects.filter(state=Application.State.UNVERIFIED, created_at__lt=stale).delete()
    Application.objects.filter(state=Application.State.DECLINED, decided_at__lt=cutoff).delete()
    return erased
