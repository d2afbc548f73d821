"""Writes about people, their roles and the registry.

Every service that writes takes the acting user (`actor`, None for the system's own jobs) and
the client's address (`ip`), and writes its own audit entry; none takes a request. Rules that
refuse a write raise krets.errors (NotAllowed, Invalid) with a message for the user."""

import datetime
import uuid

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from krets.celery import QueueUnavailable
from krets.erasure import erase_traces
from krets.errors import Invalid
from krets.mail.kinds import Recipient
from krets.mail.models import MailSend
from krets.mail.services import mail_send_cancel, mail_send_start
from krets.sessions import session_end

from . import mail_kinds, parts
from .dates import months_before
from .models import (
    REGISTRY_FIELDS,
    BoardAssignment,
    BoardFunction,
    BodyAssignment,
    Member,
    MemberTask,
    PartyPosition,
    User,
)


def user_for_member(*, member: Member) -> tuple[User, bool]:
    """The member's login, created without a password if they have none. (user, created)"""
    if member.user_id:
        return member.user, False
    user = User.objects.filter(email__iexact=member.email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            member.email, first_name=member.first_name, last_name=member.last_name
        )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    member.user = user
    member.save(update_fields=["user"])
    return user, created


@transaction.atomic
def board_member_invite(
    *,
    actor: User,
    first_name: str,
    last_name: str,
    email: str,
    function: str,
    year: int,
    ip: str | None = None,
) -> BoardAssignment:
    """Give a person a board function for a year, inviting them to log in if they cannot yet."""
    member = Member.objects.filter(email__iexact=email, left_on__isnull=True).first()
    if member is None:
        member = Member.objects.create(first_name=first_name, last_name=last_name, email=email)
    assignment, _created = BoardAssignment.objects.get_or_create(
        member=member, function=function, year=year
    )
    audit_log(actor=actor, action=Action.RIGHTS_GRANTED, target=str(assignment), ip=ip)
    user, _created = user_for_member(member=member)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    if not user.has_usable_password():
        audit_log(actor=actor, action=Action.ACCOUNT_INVITED, target=user.email, ip=ip)
        mail_send_start(
            kind=mail_kinds.INVITATION,
            key=f"{mail_kinds.INVITATION}:{user.pk}:{uuid.uuid4().hex}",
            recipients=[
                Recipient(user.email, None, {"user_id": user.pk, "invited_by_id": actor.pk})
            ],
        )
    return assignment


@transaction.atomic
def board_assignment_remove(
    *, actor: User, assignment: BoardAssignment, ip: str | None = None
) -> None:
    if assignment.function == BoardFunction.CHAIR and assignment.member.user_id == actor.pk:
        # Someone must be left who can manage the board.
        raise Invalid(_("Du kan inte ta bort ditt eget ordförandeuppdrag."))
    audit_log(actor=actor, action=Action.RIGHTS_REVOKED, target=str(assignment), ip=ip)
    assignment.delete()


def sessions_end(*, user: User) -> int:
    """End every session of a user. Sessions live in the database; each is decoded once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session_end(session.session_key)
            ended += 1
    return ended


@transaction.atomic
def account_deactivate(*, actor: User, user: User, ip: str | None = None) -> None:
    """Close a login: it can no longer sign in, and its open sessions end at once."""
    if user == actor:
        raise Invalid(_("Du kan inte avsluta ditt eget konto."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end(user=user)
    audit_log(actor=actor, action=Action.ACCOUNT_DEACTIVATED, target=user.email, ip=ip)


# --- The registry -------------------------------------------------------------------------

WELCOME_WITHIN_DAYS = 7


def member_target(member: Member) -> str:
    """How the audit log names a member (their id survives anonymisation)."""
    return f"medlem:{member.pk}"


# Any constant: the key of the PostgreSQL advisory lock that serialises number allocation.
MEMBER_NUMBER_LOCK = 0x6B726574


def _next_member_number() -> int:
    """The next free member number. Call inside a transaction: on PostgreSQL it holds a lock
    until commit, so two registrations at the same instant never get the same number (SQLite
    serialises writers anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [MEMBER_NUMBER_LOCK])
    highest = Member.objects.aggregate(highest=Max("member_number"))["highest"]
    return (highest or 1000) + 1


def _consent_date(member: Member, was_consenting: bool) -> None:
    if member.newsletter_consent and not was_consenting:
        member.newsletter_consent_on = timezone.localdate()
    elif not member.newsletter_consent:
        member.newsletter_consent_on = None


@transaction.atomic
def member_create(*, actor: User, data: dict, ip: str | None = None) -> Member:
    """Register a member: a member number, a welcome task due in 7 days, a welcome email."""
    member = Member(**{name: data[name] for name in REGISTRY_FIELDS if name in data})
    if not member.joined_on:
        member.joined_on = timezone.localdate()
    if not member.member_number:
        member.member_number = _next_member_number()
    _consent_date(member, was_consenting=False)
    member.save()
    MemberTask.objects.create(
        member=member,
        kind=MemberTask.Kind.WELCOME,
        due_on=timezone.localdate() + datetime.timedelta(days=WELCOME_WITHIN_DAYS),
    )
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        detail={"new": True},
        ip=ip,
    )
    if member.email:
        welcome_email_send(member=member)
    return member


@transaction.atomic
def open_meeting_invitations_stop(*, member: Member, ip: str | None = None) -> bool:
    """The member's one-click "no more invitations to open meetings" (RFC 8058), through the
    signed link in such an invitation, without a login. Idempotent: True only the first time."""
    stopped = Member.objects.filter(pk=member.pk, open_meeting_invitations=True).update(
        open_meeting_invitations=False
    )
    if stopped:
        audit_log(
            actor=None,
            actor_label="medlemmen själv",
            action=Action.MEMBER_CHANGED,
            target=member_target(member),
            detail={"fields": ["open_meeting_invitations"], "via": "unsubscribe"},
            ip=ip,
        )
    return bool(stopped)


@transaction.atomic
def member_update(
    *,
    actor: User | None,
    member: Member,
    data: dict,
    actor_label: str = "",
    ip: str | None = None,
) -> list[str]:
    """Change a member's details; the audit log keeps which fields changed (not the values).
    The member's own changes ("Mina uppgifter") have no actor but a label."""
    was_consenting = Member.objects.values_list("newsletter_consent", flat=True).get(pk=member.pk)
    changed = [name for name in data if getattr(member, name) != data[name]]
    for name in changed:
        setattr(member, name, data[name])
    if "newsletter_consent" in changed:
        _consent_date(member, was_consenting=was_consenting)
    if changed:
        member.save()
        audit_log(
            actor=actor,
            action=Action.MEMBER_CHANGED,
            target=member_target(member),
            detail={"fields": sorted(changed)},
            actor_label=actor_label,
            ip=ip,
        )
    return changed


@transaction.atomic
def member_leave(
    *, actor: User, member: Member, left_on: datetime.date, reason: str, ip: str | None = None
) -> None:
    member.left_on, member.leave_reason = left_on, reason
    member.save(update_fields=["left_on", "leave_reason", "updated_at"])
    # Nobody to welcome or chase once they have left.
    member.tasks.filter(done_on__isnull=True).delete()
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        # Not the reason itself: free text about a person, and the log is kept after erasure.
        detail={"left_on": left_on.isoformat(), "reason_given": bool(reason)},
        ip=ip,
    )


@transaction.atomic
def member_task_done(
    *, actor: User, task: MemberTask, method: str, note: str = "", ip: str | None = None
) -> None:
    task.done_on, task.done_by = timezone.localdate(), actor
    task.method, task.note = method, note
    task.save(update_fields=["done_on", "done_by", "method", "note"])
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=member_target(task.member),
        detail={"task": task.kind, "method": method},
        ip=ip,
    )


@transaction.atomic
def member_task_not_reached(
    *, actor: User, task: MemberTask, retry_on: datetime.date, ip: str | None = None
) -> None:
    """ "Nådde inte": the task stays open, due again on `retry_on`."""
    if retry_on <= timezone.localdate():
        raise Invalid(_("Välj en dag efter i dag för nästa försök."))
    task.due_on = retry_on
    task.save(update_fields=["due_on"])
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=member_target(task.member),
        detail={"not_reached": retry_on.isoformat(), "task": task.kind},
        ip=ip,
    )


def welcome_email_send(*, member: Member) -> None:
    """Hand the welcome mail to the mail engine: once per member, whatever calls this."""
    mail_send_start(
        kind=mail_kinds.WELCOME,
        key=f"welcome:{member.pk}",
        recipients=[Recipient(member.email, member.pk)],
    )


def self_service_link_send(*, actor: User, member: Member, ip: str | None = None) -> None:
    """Mail the member a fresh signed link to "Mina uppgifter" (the engine sends it after the
    commit; every request is a new mail). Raises krets.celery.QueueUnavailable when the mail
    cannot be queued: the send is then cancelled (no surprise mail later) and nothing logged.
    Not atomic on purpose: the queueing happens when mail_send_start's own transaction commits,
    and the audit entry is written only after that succeeded."""
    if not member.email or member.left_on:
        raise Invalid(_("Medlemmen har ingen e-postadress eller har utträtt."))
    if member.anonymised_on is None:
        key = f"{mail_kinds.SELF_SERVICE_LINK}:{member.pk}:{uuid.uuid4().hex}"
        try:
            mail_send_start(
                kind=mail_kinds.SELF_SERVICE_LINK,
                key=key,
                recipients=[Recipient(member.email, member.pk)],
                strict_queue=True,
            )
        except QueueUnavailable:
            mail_send_cancel(send=MailSend.objects.get(key=key))
            raise
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        detail={"self_service_link": "sent"},
        ip=ip,
    )


def member_email_change_request(
    *, member: Member, email: str, actor_label: str = "", ip: str | None = None
) -> None:
    """A new address given on "Mina uppgifter" is not saved: a confirmation link goes to it, and
    the old address is told (whoever holds the self-service link cannot take the account's mail
    unseen)."""
    nonce = uuid.uuid4().hex
    mail_send_start(
        kind=mail_kinds.EMAIL_CONFIRM,
        key=f"{mail_kinds.EMAIL_CONFIRM}:{member.pk}:{nonce}",
        recipients=[Recipient(email, member.pk)],
    )
    if member.email:
        mail_send_start(
            kind=mail_kinds.EMAIL_CHANGE_NOTICE,
            key=f"{mail_kinds.EMAIL_CHANGE_NOTICE}:{member.pk}:{nonce}",
            recipients=[Recipient(member.email, member.pk)],
        )
    audit_log(
        actor=None,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        detail={"email_change": "requested"},
        actor_label=actor_label,
        ip=ip,
    )


def member_email_change_confirm(
    *, member: Member, email: str, actor_label: str = "", ip: str | None = None
) -> None:
    """The new address confirmed itself through its link: now it is saved."""
    member_update(actor=None, member=member, data={"email": email}, actor_label=actor_label, ip=ip)


def member_data_link_send(*, member: Member, actor_label: str = "", ip: str | None = None) -> bool:
    """Mail a short-lived download link to the address on file (not to whoever asks)."""
    if not member.email or member.anonymised_on is not None:
        return False
    mail_send_start(
        kind=mail_kinds.DATA_LINK,
        key=f"{mail_kinds.DATA_LINK}:{member.pk}:{uuid.uuid4().hex}",
        recipients=[Recipient(member.email, member.pk)],
    )
    audit_log(
        actor=None,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        detail={"data_link": "sent"},
        actor_label=actor_label,
        ip=ip,
    )
    return True


def login_email_change_request(*, actor: User, user: User, email: str, ip: str | None = None):
    """The ordförande gives a board member's login a new address: it takes effect when the new
    address confirms its link; the old address is told."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise Invalid(_("Adressen används redan av ett annat konto."))
    if email == user.email.lower():
        raise Invalid(_("Kontot har redan den adressen."))
    nonce = uuid.uuid4().hex
    member_id = getattr(getattr(user, "member", None), "pk", None)
    mail_send_start(
        kind=mail_kinds.LOGIN_EMAIL_CONFIRM,
        key=f"{mail_kinds.LOGIN_EMAIL_CONFIRM}:{user.pk}:{nonce}",
        recipients=[Recipient(email, None, {"user_id": user.pk})],
    )
    mail_send_start(
        kind=mail_kinds.EMAIL_CHANGE_NOTICE,
        key=f"{mail_kinds.EMAIL_CHANGE_NOTICE}:login:{user.pk}:{nonce}",
        recipients=[Recipient(user.email, member_id)],
    )
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"konto:{user.pk}",
        detail={"login_email_change": "requested", "model": "members.user", "id": user.pk},
        ip=ip,
    )


@transaction.atomic
def login_email_change_confirm(*, user: User, email: str, ip: str | None = None) -> None:
    """The new address confirmed: it becomes the login, and allauth's verified primary address."""
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise Invalid(_("Adressen används redan av ett annat konto."))
    user.email = email
    user.save(update_fields=["email"])
    EmailAddress.objects.filter(user=user).delete()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    audit_log(
        actor=user,
        action=Action.MEMBER_CHANGED,
        target=f"konto:{user.pk}",
        detail={"login_email_change": "confirmed", "model": "members.user", "id": user.pk},
        ip=ip,
    )


# --- Member numbers ------------------------------------------------------------------


def member_numbers_assign(*, members=None) -> int:
    """Give a member number to members without one (those who came before the registry);
    only to those of `members` (a queryset) when given."""
    members = Member.objects.all() if members is None else members
    missing = list(members.filter(member_number=None).order_by("pk").only("pk"))
    number = _next_member_number()
    for member in missing:
        member.member_number, number = number, number + 1
    Member.objects.bulk_update(missing, ["member_number"], batch_size=1000)
    return len(missing)


# --- Personal data ------------------------------------------------------------------------

ANONYMISED_NAME = "Anonymiserad"


@transaction.atomic
def member_anonymise(*, member: Member, actor: User | None = None, ip: str | None = None) -> None:
    """Erase who the person was; what other apps keep of them by reference stays (dues:
    invoices and payments, amounts, dates, OCR). What identifies the person anywhere else in the
    database goes too (krets.erasure): audit details, the admin's log, mail, sessions, free text."""
    user = member.user if member.user_id else None
    secrets = [
        member.full_name,
        member.email,
        member.phone,
        member.address,
        *([user.email, user.get_full_name()] if user else []),
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    ]
    rows = [member, *([user] if user else [])]
    if member.user_id:
        # The login goes too: it cannot sign in, and its address and name are erased.
        user = member.user
        EmailAddress.objects.filter(user=user).delete()
        user.email = f"anonymiserad-{user.pk}@example.invalid"
        user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        sessions_end(user=user)
    member.first_name, member.last_name = ANONYMISED_NAME, ""
    for name in ("email", "phone", "address", "postcode", "town", "recruitment_source"):
        setattr(member, name, "")
    member.notes = member.leave_reason = ""
    member.birth_date = member.district = member.recruited_by = member.user = None
    member.newsletter_consent, member.newsletter_consent_on = False, None
    member.anonymised_on = timezone.localdate()
    member.save()
    member.tasks.all().delete()
    Member.objects.filter(recruited_by=member).update(recruited_by=None)
    for part in parts.registered():
        if part.anonymise is not None:
            part.anonymise(member)
    erase_traces(
        objects=rows,
        user_id=user.pk if user else None,
        member_id=member.pk,
        target=member_target(member),
        secrets=secrets,
    )
    audit_log(
        actor=actor,
        action=Action.MEMBER_ANONYMISED,
        target=member_target(member),
        actor_label="" if actor else "gallring",
        ip=ip,
    )


def members_anonymise_due(*, today: datetime.date | None = None) -> int:
    """The retention job: anonymise members who left more than the retention period ago; then
    each app erases what it keeps of anonymised members once its own period has passed
    (members.parts; dues: payment facts after the bookkeeping years)."""
    today = today or timezone.localdate()
    cutoff = months_before(today, settings.KRETS_MEMBER_RETENTION_MONTHS)
    due = Member.objects.filter(left_on__isnull=False, left_on__lte=cutoff, anonymised_on=None)
    count = 0
    for member in due.iterator():
        member_anonymise(member=member)
        count += 1
    for part in parts.registered():
        if part.retention is not None:
            part.retention(today)
    return count


@transaction.atomic
def members_import(*, actor: User, rows: list[dict], ip: str | None = None) -> int:
    """Create every row's member, or none: imported members are not welcomed again."""
    # Numbers given in the file are kept; the others follow the highest of both.
    given = [data["member_number"] for data in rows if data.get("member_number")]
    next_number = max([_next_member_number(), *(number + 1 for number in given)])
    members = []
    for data in rows:
        member = Member(
            **{name: data[name] for name in REGISTRY_FIELDS if data.get(name) not in (None, "")}
        )
        if not member.member_number:
            member.member_number, next_number = next_number, next_number + 1
        if member.newsletter_consent:
            member.newsletter_consent_on = timezone.localdate()
        members.append(member)
    Member.objects.bulk_create(members, batch_size=1000)
    audit_log(actor=actor, action=Action.MEMBERS_IMPORTED, detail={"rows": len(members)}, ip=ip)
    return len(members)


@transaction.atomic
def politician_account_invite(*, actor: User, member: Member, ip: str | None = None) -> User:
    """An account without a board function for a politician (a seat in a political body, the
    kommunalråd or the gruppledare): the ordförande invites them to log in."""
    today = timezone.localdate()
    if not (
        BodyAssignment.objects.current(today).filter(member=member).exists()
        or PartyPosition.objects.current(today).filter(member=member).exists()
    ):
        raise Invalid(_("%(name)s har inget politiskt uppdrag.") % {"name": member.full_name})
    if member.left_on is not None:
        raise Invalid(_("%(name)s är inte medlem längre.") % {"name": member.full_name})
    if not member.email:
        raise Invalid(_("%(name)s saknar e-postadress.") % {"name": member.full_name})
    user, _created = user_for_member(member=member)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    audit_log(actor=actor, action=Action.RIGHTS_GRANTED, target=f"politiker {member.pk}", ip=ip)
    if not user.has_usable_password():
        audit_log(actor=actor, action=Action.ACCOUNT_INVITED, target=user.email, ip=ip)
        mail_send_start(
            kind=mail_kinds.POLITICIAN_INVITATION,
            key=f"{mail_kinds.POLITICIAN_INVITATION}:{user.pk}:{uuid.uuid4().hex}",
            recipients=[
                Recipient(user.email, None, {"user_id": user.pk, "invited_by_id": actor.pk})
            ],
        )
    return user
