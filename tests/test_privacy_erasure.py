"""Issue 13 item 4: after anonymisation the person is nowhere in the database.

A member touches every feature (registry, admin edits, dues with a bank payment, mail of several
kinds, a meeting invitation and attendance, a training, the kit, the audit log), is anonymised,
and then every text column of every table (introspected) is searched for their name, email and
phone. Runs on SQLite and, with DATABASE_URL set, on PostgreSQL.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from dues import services as dues_services
from dues.models import BankEntry, BankFile, Payment
from krets.erasure import text_columns
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from krets.models import AuditEvent, Delivery
from meetings import services as meeting_services
from meetings.models import Kind
from members import mail_kinds, services
from members.models import BoardFunction
from newsletters import services as newsletter_services
from tests.factories import MemberFactory, UserFactory
from tests.fixtures.dues import invoice_for
from tests.fixtures.meetings import MeetingFactory

pytestmark = [pytest.mark.django_db(transaction=False), pytest.mark.usefixtures("tasks_in_process")]

FIRST, LAST = "Zebulon", "Quixlerström"
EMAIL = "zebulon.quixler@example.org"
PHONE = "+46709876543"


def everywhere(needle: str) -> list[tuple[str, str]]:
    """(table, column) of every text cell that contains `needle`, case-insensitively."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(table)} "
                f"WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",
                ["%" + needle.lower() + "%"],
            )
            if cursor.fetchone()[0]:
                found.append((table, column))
    return found


def test_anonymisation_leaves_the_person_nowhere_in_the_database(
    client, person, django_capture_on_commit_callbacks, newsletter
):
    chair = person(BoardFunction.CHAIR)
    chair.is_staff = chair.is_superuser = True
    chair.save()
    user = UserFactory(email=EMAIL, first_name=FIRST, last_name=LAST)
    member = MemberFactory(
        user=user,
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
        address="Quixlergatan 3",
        member_number=987654,
        birth_date=datetime.date(1970, 5, 6),
        notes=f"Ringde om {FIRST} {LAST}s avgift",
        newsletter_consent=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        # Registry and the admin (its log keeps object_repr and change_message).
        client.force_login(chair)
        client.get(reverse("members:detail", args=[member.pk]))
        client.get(reverse("members:list") + f"?q={LAST}")
        admin_form = client.get(f"/admin/members/member/{member.pk}/change/")
        assert admin_form.status_code == 200
        form = admin_form.context["adminform"].form
        data = {
            name: ("" if value is None else value)
            for name, value in ((n, form[n].value()) for n in form.fields)
        }
        data = {k: v for k, v in data.items() if v is not False}
        data["notes"] = f"Admin skrev om {FIRST} {LAST}, {PHONE}"
        response = client.post(f"/admin/members/member/{member.pk}/change/", data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        # Mail of several kinds: the self-service link, a newsletter, a meeting invitation.
        services.self_service_link_send(actor=chair, member=member)
        assert newsletter_services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
        mail_send_start(
            kind=mail_kinds.SELF_SERVICE_LINK,
            key="extra",
            recipients=[Recipient(EMAIL, member.pk, {"first_name": FIRST})],
        )
        meeting = MeetingFactory(kind=Kind.CHAPTER)
        meeting_services.invitations_send(actor=chair, meeting=meeting)
        invitation = meeting.invitations.get(member=member)
        meeting_services.invitation_reply(actor=None, invitation=invitation, coming=True)
        # Attendance is recorded from the meeting's start: the meeting is under way.
        now = timezone.now()
        type(meeting).objects.filter(pk=meeting.pk).update(
            starts_at=now - datetime.timedelta(hours=1), ends_at=now + datetime.timedelta(hours=1)
        )
        meeting.refresh_from_db()
        meeting_services.attendance_record(
            actor=chair, meeting=meeting, attended_ids={invitation.pk}
        )
        training = MeetingFactory(kind=Kind.TRAINING, topic="ledarskap")
        meeting_services.participant_register(actor=chair, meeting=training, member=member)
        start = timezone.now() + datetime.timedelta(days=4)
        meeting_services.kit_book(
            actor=user,
            member=member,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            note=f"Bokat av {FIRST} {LAST}",
        )
    # Dues: an invoice paid through a bank entry that names the payer.
    invoice = invoice_for(member)
    bank_file = BankFile.objects.create(name="camt.xml", kind="camt.054", sha256="1" * 64)
    entry = BankEntry.objects.create(
        file=bank_file,
        bank_ref="REF-ZQ",
        booked_on=datetime.date(2023, 4, 1),
        amount=Decimal("200.00"),
        reference=invoice.ocr,
        payer=f"{FIRST.upper()} {LAST.upper()}",
    )
    dues_services.bank_entry_match(actor=chair, entry=entry, invoice=invoice)
    # A leave with a reason, the person's own session, and someone's session naming them.
    services.member_leave(
        actor=chair,
        member=member,
        left_on=datetime.date(2024, 1, 31),
        reason=f"{FIRST} flyttade till Norge",
    )
    own = SessionStore()
    own["_auth_user_id"] = str(user.pk)
    own.create()
    other = SessionStore()
    other["senaste_sokning"] = EMAIL
    other.create()
    member.refresh_from_db()
    assert Delivery.objects.filter(member_id=member.pk).count() >= 3
    for needle in (EMAIL, LAST, PHONE):
        assert everywhere(needle), needle  # the search finds them before erasure

    services.member_anonymise(member=member, actor=chair)

    for needle in (EMAIL, f"{FIRST} {LAST}", LAST, FIRST, PHONE, "Quixlergatan", "Norge"):
        assert everywhere(needle) == [], needle
    # The payment facts stay for the bookkeeping years.
    payment = Payment.objects.get(invoice=invoice)
    assert payment.amount == Decimal("200.00")
    assert BankEntry.objects.get(pk=entry.pk).reference == invoice.ocr
    assert invoice.ocr and AuditEvent.objects.filter(target=f"medlem:{member.pk}").exists()


def test_the_audit_log_stays_append_only_outside_erasure():
    from django.db import DatabaseError, transaction  # noqa: PLC0415

    from krets.audit import audit_log  # noqa: PLC0415

    event = audit_log(actor=None, action=AuditEvent.Action.MEMBER_CHANGED, detail={"a": "b"})
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(detail={})
    if connection.vendor == "postgresql":  # SQLite's trigger (migration 0003) covers updates only
        with pytest.raises(DatabaseError), transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == {"a": "b"}
