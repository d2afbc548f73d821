"""Writes about people, their roles, the registry and dues."""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_record
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start

from . import mail_kinds
from .camt import read_bank_file
from .models import (
    REGISTRY_FIELDS,
    BankEntry,
    BankFile,
    BoardAssignment,
    DuesInvoice,
    DuesReminder,
    Fee,
    Member,
    MemberTask,
    Payment,
    PaymentMethod,
    User,
)
from .ocr import dues_ocr
from .selectors import invoice_paid_total, reminder_steps_due


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


def invitation_link(user: User) -> str:
    """A link that lets the person choose a password (allauth's password-reset key)."""
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def invitation_send(*, user: User, invited_by: User | None) -> None:
    context = {
        "user": user,
        "link": invitation_link(user),
        "invited_by": invited_by,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("members/email/invitation_subject.txt", context).strip(),
        body=render_to_string("members/email/invitation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(
        render_to_string("members/email/invitation.html", context), "text/html"
    )
    message.send()


@transaction.atomic
def board_member_invite(
    *, request, first_name: str, last_name: str, email: str, function: str, year: int
) -> BoardAssignment:
    """Give a person a board function for a year, inviting them to log in if they cannot yet."""
    member = Member.objects.filter(email__iexact=email, left_on__isnull=True).first()
    if member is None:
        member = Member.objects.create(first_name=first_name, last_name=last_name, email=email)
    assignment, _ = BoardAssignment.objects.get_or_create(
        member=member, function=function, year=year
    )
    audit_record(request, action=Action.RIGHTS_GRANTED, target=str(assignment))
    user, _ = user_for_member(member=member)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
    if not user.has_usable_password():
        audit_record(request, action=Action.ACCOUNT_INVITED, target=user.email)
        transaction.on_commit(lambda: invitation_send(user=user, invited_by=request.user))
    return assignment


@transaction.atomic
def board_assignment_remove(*, request, assignment: BoardAssignment) -> None:
    audit_record(request, action=Action.RIGHTS_REVOKED, target=str(assignment))
    assignment.delete()


def sessions_end(*, user: User) -> int:
    """End every session of a user. Sessions live in the database; each is decoded once."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def account_deactivate(*, request, user: User) -> None:
    """Close a login: it can no longer sign in, and its open sessions end at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions_end(user=user)
    audit_record(request, action=Action.ACCOUNT_DEACTIVATED, target=user.email)


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
def member_create(*, request, data: dict) -> Member:
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
    audit_record(
        request, action=Action.MEMBER_CHANGED, target=member_target(member), detail={"new": True}
    )
    if member.email:
        from .tasks import send_welcome_email

        transaction.on_commit(lambda: send_welcome_email.delay(member.pk))
    return member


@transaction.atomic
def member_update(*, request, member: Member, data: dict, actor_label: str = "") -> list[str]:
    """Change a member's details; the audit log keeps which fields changed (not the values)."""
    was_consenting = Member.objects.values_list("newsletter_consent", flat=True).get(pk=member.pk)
    changed = [name for name in data if getattr(member, name) != data[name]]
    for name in changed:
        setattr(member, name, data[name])
    if "newsletter_consent" in changed:
        _consent_date(member, was_consenting=was_consenting)
    if changed:
        member.save()
        audit_record(
            request,
            action=Action.MEMBER_CHANGED,
            target=member_target(member),
            detail={"fields": sorted(changed)},
            actor_label=actor_label,
        )
    return changed


@transaction.atomic
def member_leave(*, request, member: Member, left_on: datetime.date, reason: str) -> None:
    member.left_on, member.leave_reason = left_on, reason
    member.save(update_fields=["left_on", "leave_reason", "updated_at"])
    # Nobody to welcome or chase once they have left.
    member.tasks.filter(done_on__isnull=True).delete()
    audit_record(
        request,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        detail={"left_on": left_on.isoformat(), "reason": reason},
    )


def member_task_done(*, request, task: MemberTask, method: str, note: str = "") -> None:
    task.done_on, task.done_by = timezone.localdate(), request.user
    task.method, task.note = method, note
    task.save(update_fields=["done_on", "done_by", "method", "note"])
    audit_record(
        request,
        action=Action.MEMBER_CHANGED,
        target=member_target(task.member),
        detail={"task": task.kind, "method": method},
    )


def welcome_email_send(*, member: Member) -> None:
    """Hand the welcome mail to the mail engine: once per member, whatever calls this."""
    mail_send_start(
        kind=mail_kinds.WELCOME,
        key=f"welcome:{member.pk}",
        recipients=[Recipient(member.email, member.pk)],
    )


def self_service_link_send(*, request, member: Member) -> None:
    """Mail the member a fresh signed link to "Mina uppgifter" (after the commit)."""
    from .tasks import send_self_service_link

    audit_record(
        request,
        action=Action.MEMBER_CHANGED,
        target=member_target(member),
        detail={"self_service_link": "sent"},
    )
    transaction.on_commit(lambda: send_self_service_link.delay(member.pk))


def self_service_link_email(*, member: Member) -> None:
    from .emails import self_service_email

    self_service_email(member=member).send()


# --- Dues ---------------------------------------------------------------------------------


def member_numbers_assign() -> int:
    """Give a member number to members without one (those who came before the registry)."""
    missing = list(Member.objects.filter(member_number=None).order_by("pk").only("pk"))
    number = _next_member_number()
    for member in missing:
        member.member_number, number = number, number + 1
    Member.objects.bulk_update(missing, ["member_number"], batch_size=1000)
    return len(missing)


def invoice_create(*, member: Member, fee: Fee) -> DuesInvoice:
    if not member.member_number:
        member_numbers_assign()
        member.refresh_from_db(fields=["member_number"])
    invoice, _ = DuesInvoice.objects.get_or_create(
        member=member,
        year=fee.year,
        defaults={
            "fee": fee,
            "amount": fee.amount,
            "due_on": fee.due_on,
            "ocr": dues_ocr(year=fee.year, member_number=member.member_number),
        },
    )
    return invoice


@transaction.atomic
def invoices_create_for_year(*, fee: Fee) -> int:
    """An invoice with `fee` for every current member who has none for the year yet."""
    member_numbers_assign()
    members = Member.objects.filter(left_on__isnull=True, joined_on__year__lte=fee.year).exclude(
        invoices__year=fee.year
    )
    invoices = [
        DuesInvoice(
            member=member,
            year=fee.year,
            fee=fee,
            amount=fee.amount,
            due_on=fee.due_on,
            ocr=dues_ocr(year=fee.year, member_number=member.member_number),
        )
        for member in members.only("id", "member_number").iterator()
    ]
    DuesInvoice.objects.bulk_create(invoices, batch_size=2000, ignore_conflicts=True)
    return len(invoices)


def payment_register(
    *,
    invoice: DuesInvoice,
    amount: Decimal,
    paid_on: datetime.date,
    method: str,
    reference: str = "",
    registered_by: User | None = None,
) -> Payment:
    if amount <= 0:
        raise ValueError("a payment is a positive amount")
    return Payment.objects.create(
        invoice=invoice,
        amount=amount,
        paid_on=paid_on,
        method=method,
        reference=reference,
        registered_by=registered_by,
    )


def payment_reverse(
    *,
    payment: Payment,
    reason: str,
    reversed_on: datetime.date,
    reference: str = "",
    registered_by: User | None = None,
) -> Payment:
    """Undo a payment by a counter-entry of the opposite amount; the payment itself stays."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.reverses_id is not None or Payment.objects.filter(reverses=payment).exists():
            raise ValueError("a reversal, or a payment already reversed")
        return Payment.objects.create(
            invoice_id=payment.invoice_id,
            amount=-payment.amount,
            paid_on=reversed_on,
            method=payment.method,
            reference=reference,
            reverses=payment,
            reason=reason[:200],
            registered_by=registered_by,
        )


@dataclass
class BankImportResult:
    kind: str
    booked: int = 0
    queued: int = 0
    already: int = 0
    reversed: int = 0
    # Entries the file holds but that are not booked (another currency, 0 kr, absurd), each a
    # Swedish sentence naming the entry.
    refused: list[str] = field(default_factory=list)


def _ocr_candidates(reference: str) -> list[str]:
    """What an OCR in a reference may be: all its digits (`2023 0020 0625`), else each group of
    digits in a message (`Avgift 2023, OCR 202300200625`)."""
    groups = [re.sub(r"[ -]", "", g) for g in re.findall(r"[0-9][0-9 -]*[0-9]", reference)]
    return ["".join(ch for ch in reference if ch.isdigit()), *groups]


def bank_file_import(*, request, name: str, content: bytes) -> BankImportResult:
    """Book each payment at its own amount when its reference is an OCR of ours; queue the rest
    for matching by hand; reverse the payment a return sends back.

    A transaction the bank has sent before (same bank reference) is skipped, so importing the
    same file twice books nothing twice. A file that cannot be read, or whose batches do not add
    up, books nothing (BankFileError); the file is booked in one database transaction.
    """
    statement = read_bank_file(content)
    credits = statement.credits
    result = BankImportResult(kind=statement.kind, refused=statement.refused)
    with transaction.atomic():
        bank_file = BankFile.objects.create(
            name=name[:200],
            kind=statement.kind,
            sha256=hashlib.sha256(content).hexdigest(),
            uploaded_by=request.user if request else None,
        )
        known = set(
            BankEntry.objects.filter(bank_ref__in=[c.bank_ref for c in credits]).values_list(
                "bank_ref", flat=True
            )
        )
        invoices = {
            inv.ocr: inv
            for inv in DuesInvoice.objects.filter(
                ocr__in={ocr for c in credits for ocr in _ocr_candidates(c.reference)}
            )
        }
        for credit in credits:
            if credit.bank_ref in known:
                result.already += 1
                continue
            known.add(credit.bank_ref)
            entry = BankEntry.objects.create(
                file=bank_file,
                bank_ref=credit.bank_ref,
                booked_on=credit.booked_on,
                amount=-credit.amount if credit.is_return else credit.amount,
                reference=credit.reference,
                payer=credit.payer,
            )
            invoice = next(
                (invoices[o] for o in _ocr_candidates(credit.reference) if o in invoices), None
            )
            if credit.is_return:
                payment = _returned_payment(entry=entry, invoice=invoice)
                if payment is not None:
                    _entry_reverse(
                        entry=entry,
                        payment=payment,
                        reason=credit.return_reason,
                        registered_by=bank_file.uploaded_by,
                    )
                    result.reversed += 1
                else:
                    result.queued += 1
            elif invoice is not None:
                _entry_book(entry=entry, invoice=invoice, registered_by=bank_file.uploaded_by)
                result.booked += 1
            else:
                result.queued += 1
    return result


def _returned_payment(*, entry: BankEntry, invoice: DuesInvoice | None) -> Payment | None:
    """The payment a return sends back: same OCR (or the original bank reference) and amount,
    not yet reversed, the latest paid on or before the return."""
    payments = Payment.objects.filter(
        amount=-entry.amount,
        reverses=None,
        reversal=None,
        paid_on__lte=entry.booked_on,
    )
    if invoice is not None:
        payments = payments.filter(invoice=invoice)
    elif entry.reference:
        payments = payments.filter(reference=entry.reference)
    else:
        return None
    return payments.order_by("-paid_on", "-id").first()


@transaction.atomic
def bank_entry_match(*, request, entry: BankEntry, invoice: DuesInvoice) -> Payment:
    """Book a queued bank credit against an invoice chosen by hand (a queued return reverses
    that invoice's payment of the same amount)."""
    entry = BankEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.payment_id is not None:
        raise ValueError("already booked")
    if entry.amount < 0:
        payment = _returned_payment(entry=entry, invoice=invoice)
        if payment is None:
            raise ValueError("no payment of this amount to return")
        return _entry_reverse(entry=entry, payment=payment, reason="", registered_by=request.user)
    return _entry_book(entry=entry, invoice=invoice, registered_by=request.user)


def bank_entry_dismiss(*, entry: BankEntry) -> None:
    """Take a credit that is not dues (a gift, a refund) off the matching queue; it is kept."""
    BankEntry.objects.filter(pk=entry.pk, payment=None).update(dismissed=True)


def _entry_book(*, entry: BankEntry, invoice: DuesInvoice, registered_by: User | None) -> Payment:
    payment = payment_register(
        invoice=invoice,
        amount=entry.amount,
        paid_on=entry.booked_on,
        method=PaymentMethod.BANKGIRO,
        reference=entry.bank_ref,
        registered_by=registered_by,
    )
    entry.payment = payment
    entry.save(update_fields=["payment"])
    return payment


def _entry_reverse(
    *, entry: BankEntry, payment: Payment, reason: str, registered_by: User | None
) -> Payment:
    counter = payment_reverse(
        payment=payment,
        reason=_("Återförd av banken (%(code)s)") % {"code": reason}
        if reason
        else _("Återförd av banken"),
        reversed_on=entry.booked_on,
        reference=entry.bank_ref,
        registered_by=registered_by,
    )
    entry.payment = counter
    entry.save(update_fields=["payment"])
    return counter


# --- Unpaid dues: reminders, then a personal contact --------------------------------------


def reminder_step_take(*, invoice_id: int, step: int, today: datetime.date) -> bool:
    """Claim one step for one invoice; False when it was taken before or is no longer due.

    The row in DuesReminder is the claim: its unique constraint (invoice, step) lets only one
    of two concurrent runs insert it, and the loser's IntegrityError rolls back its work.
    """
    try:
        with transaction.atomic():
            invoice = (
                DuesInvoice.objects.select_related("member")
                .filter(pk=invoice_id, member__left_on__isnull=True)
                .annotate(paid=invoice_paid_total())
                .first()
            )
            if invoice is None or invoice.paid >= invoice.amount:
                return False
            reminder = DuesReminder.objects.create(invoice=invoice, step=step, created_on=today)
            if step == DuesReminder.Step.CONTACT:
                MemberTask.objects.get_or_create(
                    member=invoice.member,
                    kind=MemberTask.Kind.DUES_CONTACT,
                    year=invoice.year,
                    defaults={"due_on": today + datetime.timedelta(days=WELCOME_WITHIN_DAYS)},
                )
            else:
                from .tasks import send_dues_reminder

                transaction.on_commit(lambda: send_dues_reminder.delay(reminder.pk))
    except IntegrityError:
        return False
    return True


def dues_reminders_run(*, today: datetime.date | None = None) -> dict[int, int]:
    """The daily job: take every step that is due. Safe to run twice or concurrently."""
    today = today or timezone.localdate()
    taken = {step: 0 for step in DuesReminder.Step.values}
    for invoice_id, step in reminder_steps_due(today=today):
        if reminder_step_take(invoice_id=invoice_id, step=step, today=today):
            taken[step] += 1
    return taken


def dues_reminder_send(*, reminder: DuesReminder) -> bool:
    """Hand a claimed reminder to the mail engine once; `sent_at` marks the hand-over, and the
    engine's key makes a second hand-over send nothing."""
    claimed = DuesReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    member = reminder.invoice.member
    if not claimed or not member.email:
        return False
    mail_send_start(
        kind=mail_kinds.DUES_REMINDER,
        key=f"dues-reminder:{reminder.pk}",
        recipients=[Recipient(member.email, member.pk, {"reminder_id": reminder.pk})],
    )
    return True


# --- Personal data ------------------------------------------------------------------------

ANONYMISED_NAME = "Anonymiserad"


def _months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(1)).day
    return datetime.date(year, month, min(day.day, last_day))


@transaction.atomic
def member_anonymise(*, member: Member, request=None) -> None:
    """Erase who the person was; invoices and payments (amounts, dates, OCR) stay."""
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
    audit_record(
        request,
        action=Action.MEMBER_ANONYMISED,
        target=member_target(member),
        actor_label="" if request else "gallring",
    )


def members_anonymise_due(*, today: datetime.date | None = None) -> int:
    """The retention job: anonymise members who left more than the retention period ago, and
    delete payment facts of anonymised members once the bookkeeping years have passed."""
    today = today or timezone.localdate()
    cutoff = _months_before(today, settings.KRETS_MEMBER_RETENTION_MONTHS)
    due = Member.objects.filter(left_on__isnull=False, left_on__lte=cutoff, anonymised_on=None)
    count = 0
    for member in due.iterator():
        member_anonymise(member=member)
        count += 1
    # Bookkeeping law: 7 years after the end of the calendar year of the payment.
    last_kept_year = today.year - settings.KRETS_PAYMENT_RETENTION_YEARS - 1
    old = DuesInvoice.objects.filter(member__anonymised_on__isnull=False, year__lte=last_kept_year)
    with transaction.atomic():
        BankEntry.objects.filter(payment__invoice__in=old).update(payment=None)
        Payment.objects.filter(invoice__in=old).delete()
        old.delete()
    return count


@transaction.atomic
def members_import(*, request, rows: list[dict]) -> int:
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
    audit_record(request, action=Action.MEMBERS_IMPORTED, detail={"rows": len(members)})
    return len(members)
