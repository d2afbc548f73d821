"""The avi itself, reminders that ask for what is left, and corrections that never delete."""

import datetime
import json
from decimal import Decimal
from urllib.parse import unquote

import pytest
import time_machine
from django.core import mail
from django.db.models import F, Sum
from django.urls import reverse

from dues import services
from dues.csv_export import csv_lines
from dues.models import DuesInvoice, DuesStatus, Payment
from dues.selectors import export_rows, reminder_steps_due
from dues.swish import swish_app_link
from krets.errors import Invalid
from krets.models import AuditEvent
from tests.factories import MemberFactory, UserFactory
from tests.fixtures.dues import fee_for, invoice_for

pytestmark = pytest.mark.usefixtures("tasks_in_process")

DUE = datetime.date(2023, 3, 31)  # fee_for's due date


def run_on(day: datetime.date, captured, **kwargs) -> dict:
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(7)), tick=False):
        with captured(execute=True):
            return services.dues_reminders_run(**kwargs)


def dues_events(code: str) -> list[AuditEvent]:
    return [e for e in AuditEvent.objects.filter(action="dues_changed") if e.detail["code"] == code]


def assert_paid_amounts_match_payments():
    sums = dict(
        Payment.objects.values("invoice").annotate(t=Sum("amount")).values_list("invoice", "t")
    )
    for pk, paid in DuesInvoice.objects.values_list("pk", "paid_amount"):
        assert paid == sums.get(pk, Decimal("0.00")), pk


def test_swish_app_link_carries_the_prefilled_payment_as_json():
    link = swish_app_link(number="123 456 78 90", amount=Decimal("150.5"), message="202300004250")
    assert link.startswith("swish://payment?data=")
    data = json.loads(unquote(link.removeprefix("swish://payment?data=")))
    assert data == {
        "version": 1,
        "payee": {"value": "1234567890"},
        "amount": {"value": 150.5, "editable": False},
        "message": {"value": "202300004250", "editable": False},
    }


@pytest.mark.django_db
def test_invoice_is_mailed_once_with_bankgiro_ocr_swish_link_and_qr(
    settings, django_capture_on_commit_callbacks
):
    settings.BANKGIRO_NUMBER = "5050-1055"
    kassor = UserFactory()
    invoice = invoice_for(MemberFactory(email="ny@example.org"), amount="250.00", sent=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invoice_send(actor=kassor, invoice=invoice)
    with django_capture_on_commit_callbacks(execute=True):
        assert not services.invoice_send(actor=kassor, invoice=invoice)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny@example.org"]
    assert message.subject == "Medlemsavgift 2023: din avi"
    for text in ("250,00 kr", "5050-1055", invoice.ocr, "swish://payment?data=", "31 mars 2023"):
        assert text in message.body
    assert "swish://payment?data=" in message.alternatives[0][0]
    [qr] = message.attachments
    assert qr.get_filename() == "swish-qr.png" and qr.get_content_type() == "image/png"
    assert qr.get_payload(decode=True)[:4] == b"\x89PNG"
    invoice.refresh_from_db()
    assert invoice.sent_at is not None
    assert len(dues_events("invoice_sent")) == 1


@pytest.mark.django_db
def test_kassor_sees_when_the_invoice_was_sent_and_what_the_engine_did(
    client_as, django_capture_on_commit_callbacks
):
    invoice = invoice_for(MemberFactory(email="a@example.org"), sent=False)
    client = client_as("kassor")
    page = client.get(reverse("dues:invoice", args=[invoice.pk])).content.decode()
    assert "Inte skickad" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dues:invoice_send", args=[invoice.pk]))
    page = client.get(reverse("dues:invoice", args=[invoice.pk])).content.decode()
    assert "e-post: Skickat" in page
    pdf = client.get(reverse("dues:invoice_pdf", args=[invoice.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"


@pytest.mark.django_db
def test_a_member_who_joins_after_the_due_date_gets_their_own_due_date(settings):
    settings.DUES_NEW_MEMBER_DAYS = 30
    fee = fee_for(2023)
    early = MemberFactory(joined_on=datetime.date(2023, 1, 10), member_number=1)
    late = MemberFactory(joined_on=datetime.date(2023, 6, 1), member_number=2)
    issued = datetime.date(2023, 6, 2)
    assert services.invoice_create(member=early, fee=fee, today=issued).due_on == DUE
    assert services.invoice_create(member=late, fee=fee, today=issued).due_on == datetime.date(
        2023, 7, 2
    )


@pytest.mark.django_db
def test_a_new_members_first_dues_mail_is_the_invoice_not_a_reminder(
    django_capture_on_commit_callbacks,
):
    """The bug in the issue: a member who joined got "Påminnelse" the same day."""
    member = MemberFactory(email="ny@example.org", joined_on=datetime.date(2023, 6, 1))
    invoice = invoice_for(member, sent=False)
    assert run_on(datetime.date(2023, 9, 1), django_capture_on_commit_callbacks)[1] == 0
    assert mail.outbox == []
    with time_machine.travel(datetime.datetime(2023, 9, 1, 8), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.invoice_send(actor=None, invoice=invoice)
    assert [m.subject for m in mail.outbox] == ["Medlemsavgift 2023: din avi"]


@pytest.mark.django_db
def test_reminder_after_a_part_payment_names_the_amount_left(
    settings, django_capture_on_commit_callbacks
):
    settings.BANKGIRO_NUMBER = "5050-1055"
    invoice = invoice_for(MemberFactory(email="del@example.org"), amount="300.00")
    services.payment_register(
        invoice=invoice, amount=Decimal("100"), paid_on=DUE, method="bankgiro"
    )
    day1 = DUE + datetime.timedelta(days=14)
    assert reminder_steps_due(today=day1) == [(invoice.pk, 1, Decimal("200.00"))]
    assert run_on(day1, django_capture_on_commit_callbacks)[1] == 1
    body = mail.outbox[0].body
    assert "Kvar att betala: 200,00 kr" in body and "300,00" not in body
    assert "5050-1055" in body and invoice.ocr in body and "swish://payment?data=" in body
    assert "%22value%22%3A200.0" in body  # the Swish link asks for what is left
    day2 = day1 + datetime.timedelta(days=21)
    assert run_on(day2, django_capture_on_commit_callbacks)[2] == 1
    assert "andra påminnelse" in mail.outbox[1].body and "Kvar att betala" in mail.outbox[1].body


@pytest.mark.django_db
def test_reminders_chase_only_the_current_year_unless_the_kassor_chooses_an_earlier_one(
    django_capture_on_commit_callbacks,
):
    old = invoice_for(MemberFactory(email="gammal@example.org"), year=2021)
    current = invoice_for(MemberFactory(email="nu@example.org"), year=2023)
    day = datetime.date(2023, 5, 1)
    assert {pk for pk, *_ in reminder_steps_due(today=day)} == {current.pk}
    assert {pk for pk, *_ in reminder_steps_due(today=day, year=2021)} == {old.pk}
    assert run_on(day, django_capture_on_commit_callbacks, year=2021)[1] == 1
    assert mail.outbox[0].to == ["gammal@example.org"]


@pytest.mark.django_db
def test_the_kassor_chases_an_earlier_year_from_the_dues_page(
    client_as, django_capture_on_commit_callbacks
):
    old = invoice_for(MemberFactory(email="gammal@example.org"), year=2021)
    client = client_as("kassor")
    page = client.get(reverse("dues:index"), {"ar": 2021}).content.decode()
    assert "Skicka påminnelser för 2021" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dues:reminders_run") + "?ar=2021", follow=True)
    assert "2021: 1 första" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["gammal@example.org"]]
    assert old.reminders.count() == 1


@pytest.mark.django_db
def test_reversal_and_write_off_show_in_the_export_and_the_audit_log(
    django_capture_on_commit_callbacks,
):
    kassor = UserFactory()
    reversed_invoice = invoice_for(MemberFactory(first_name="Rut", last_name="Rättad"))
    payment = services.payment_register(
        invoice=reversed_invoice, amount=Decimal("200"), paid_on=DUE, method="swish", actor=kassor
    )
    with pytest.raises(Invalid):
        services.payment_reverse(payment=payment, reason=" ", reversed_on=DUE, actor=kassor)
    services.payment_reverse(payment=payment, reason="Fel medlem", reversed_on=DUE, actor=kassor)
    gone = invoice_for(MemberFactory(first_name="Åsa", last_name="Avskriven"))
    services.invoice_write_off(actor=kassor, invoice=gone, reason="Avliden")
    with pytest.raises(Invalid):
        services.invoice_write_off(actor=kassor, invoice=gone, reason="igen")

    rows = {
        line.split(";")[0]: line
        for line in "".join(
            csv_lines(
                export_rows(year=2023, status="", today=datetime.date(2023, 5, 1)), dialect="excel"
            )
        ).splitlines()
    }
    assert "Rättad" in next(k for k in rows if "Rut" in k)
    assert ";0,00;200,00;" in rows[next(k for k in rows if "Rut" in k)]
    assert "Avskriven" in rows[next(k for k in rows if "Åsa" in k)]
    assert len(dues_events("payment_reversed")) == 1
    assert len(dues_events("invoice_written_off")) == 1
    assert dues_events("payment_reversed")[0].actor == kassor
    assert (
        DuesInvoice.objects.get(pk=gone.pk).status(
            paid=Decimal("0"), today=datetime.date(2023, 5, 1)
        )
        == DuesStatus.WRITTEN_OFF
    )
    due = {pk for pk, *_ in reminder_steps_due(today=datetime.date(2023, 6, 1))}
    assert due == {reversed_invoice.pk}  # the written-off debt is not chased
    assert_paid_amounts_match_payments()


@pytest.mark.django_db
def test_payment_in_the_future_is_refused_with_a_message(client_as):
    invoice = invoice_for(MemberFactory())
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(Invalid):
        services.payment_register(
            invoice=invoice, amount=Decimal("10"), paid_on=tomorrow, method="swish"
        )
    response = client_as("kassor").post(
        reverse("dues:payment_add", args=[invoice.pk]),
        {"amount": "10", "paid_on": tomorrow.isoformat(), "method": "swish"},
        follow=True,
    )
    assert "Betaldagen kan inte ligga i framtiden." in response.content.decode()
    assert not Payment.objects.exists()


@pytest.mark.django_db
def test_overpayment_is_flagged_and_settled_once():
    kassor = UserFactory()
    invoice = invoice_for(MemberFactory(), amount="200.00")
    with pytest.raises(Invalid):
        services.invoice_overpayment_settle(actor=kassor, invoice=invoice, how="gava")
    services.payment_register(invoice=invoice, amount=Decimal("300"), paid_on=DUE, method="swish")
    services.invoice_overpayment_settle(actor=kassor, invoice=invoice, how="gava")
    with pytest.raises(Invalid):
        services.invoice_overpayment_settle(actor=kassor, invoice=invoice, how="aterbetald")
    assert DuesInvoice.objects.get(pk=invoice.pk).overpayment_settled == "gava"
    assert dues_events("overpayment_gava")[0].detail["amount"] == "100.00"


@pytest.mark.django_db
def test_a_fee_is_edited_until_invoices_are_sent_then_refused():
    kassor = UserFactory()
    fee = fee_for(2023)
    invoice = invoice_for(MemberFactory(), sent=False)
    fee = invoice.fee
    services.fee_update(actor=kassor, fee=fee, data={"amount": Decimal("220.00")})
    assert DuesInvoice.objects.get(pk=invoice.pk).amount == Decimal("220.00")
    DuesInvoice.objects.filter(pk=invoice.pk).update(sent_at=invoice.created_at)
    with pytest.raises(Invalid):
        services.fee_update(actor=kassor, fee=fee, data={"amount": Decimal("250.00")})
    assert len(dues_events("fee_changed")) == 1


@pytest.mark.django_db
def test_paid_amount_follows_every_booking_and_reversal_from_bank_files():
    from pathlib import Path

    from dues.camt import BankFileError
    from tests.test_dues_bank_files import MEMBERS

    for number in MEMBERS:
        invoice_for(MemberFactory(member_number=number), amount="250.00")
    for path in sorted((Path(__file__).parent / "data" / "camt").glob("*.xml")):
        try:
            services.bank_file_import(actor=None, name=path.name, content=path.read_bytes())
        except BankFileError:  # the batch that does not add up
            pass
    assert Payment.objects.filter(reverses__isnull=False).exists()
    assert_paid_amounts_match_payments()
    assert dues_events("bank_file_imported")


@pytest.mark.django_db
def test_a_household_pays_one_family_fee_and_every_member_shows_as_paid():
    from dues.models import Fee, FeeCategory
    from dues.selectors import members_by_dues
    from members.models import Member

    kassor = UserFactory()
    year = 2023
    for name, category, amount in [
        ("Ordinarie", FeeCategory.ORDINARY, "200"),
        ("Ungdom", FeeCategory.YOUTH, "50"),
        ("Familj", FeeCategory.FAMILY, "300"),
    ]:
        Fee.objects.create(
            year=year, name=name, category=category, amount=Decimal(amount), due_on=DUE
        )
    anna, bo, cia = (MemberFactory(first_name=n, member_number=i) for i, n in enumerate("ABC", 1))
    young = MemberFactory(member_number=4)
    alone = MemberFactory(member_number=5)
    services.member_category_set(actor=kassor, member=young, category=FeeCategory.YOUTH)
    household = services.household_create(actor=kassor, name="Ek", payer=anna, members=[bo, cia])

    assert services.invoices_create_by_category(actor=kassor, year=year) == 3
    assert services.invoices_create_by_category(actor=kassor, year=year) == 0
    family = DuesInvoice.objects.get(household=household)
    assert family.member == anna and family.amount == Decimal("300.00")
    assert not DuesInvoice.objects.filter(member__in=[bo, cia]).exists()
    assert DuesInvoice.objects.get(member=young).amount == Decimal("50.00")
    assert DuesInvoice.objects.get(member=alone).amount == Decimal("200.00")

    services.payment_register(invoice=family, amount=Decimal("300"), paid_on=DUE, method="swish")
    paid = members_by_dues(Member.objects.all(), year=year, status=DuesStatus.PAID)
    assert set(paid) == {anna, bo, cia}
    unpaid = members_by_dues(Member.objects.all(), year=year, status=DuesStatus.UNPAID)
    assert set(unpaid) == {young, alone}
    assert not members_by_dues(Member.objects.filter(pk=bo.pk), year=year, status="saknas")
    lines = "".join(csv_lines(export_rows(year=year, status=""), dialect="excel")).splitlines()
    assert lines[0].endswith(";Kategori;Hushållets betalare")
    family_line = next(line for line in lines if line.startswith(f"{anna.full_name};"))
    assert family_line.endswith(f";Familj;{anna.full_name}")
    assert next(line for line in lines if line.startswith(f"{young.full_name};")).endswith(
        ";Ungdom;"
    )


@pytest.mark.django_db
def test_a_sent_invoice_is_lowered_by_a_credit_note_never_rewritten():
    kassor = UserFactory()
    invoice = invoice_for(MemberFactory(), amount="200.00")
    with pytest.raises(Invalid):
        services.invoice_credit(actor=kassor, invoice=invoice, amount=Decimal("50"), reason="")
    with pytest.raises(Invalid):
        services.invoice_credit(actor=kassor, invoice=invoice, amount=Decimal("500"), reason="x")
    note = services.invoice_credit(
        actor=kassor, invoice=invoice, amount=Decimal("50"), reason="Student från mars"
    )
    invoice.refresh_from_db()
    assert invoice.amount == Decimal("150.00") and note.amount == Decimal("50.00")
    assert dues_events("invoice_credited")[0].detail["amount"] == "50"


@pytest.mark.django_db
def test_the_demo_has_this_years_money_and_loads_twice_without_adding():
    from django.core.management import call_command

    from dues.models import BankFile, Fee, Household

    call_command("load_demo", verbosity=0)
    year = datetime.date.today().year
    counts = (DuesInvoice.objects.count(), Payment.objects.count(), BankFile.objects.count())
    assert set(Fee.objects.filter(year=year).values_list("category", flat=True)) == {
        "ordinarie",
        "ungdom",
        "familj",
    }
    assert Household.objects.count() == 3
    assert DuesInvoice.objects.filter(year=year, household__isnull=False).count() == 3
    assert not DuesInvoice.objects.filter(year=year, sent_at=None).exists()
    assert Payment.objects.filter(invoice__year=year, reverses__isnull=False).count() == 1
    assert DuesInvoice.objects.filter(year=year, written_off_on__isnull=False).count() == 1
    assert DuesInvoice.objects.filter(year=year, paid_amount__gt=F("amount")).exists()
    assert BankFile.objects.filter(name=f"camt054-bankgirot-{year}.xml").exists()
    assert_paid_amounts_match_payments()
    call_command("load_demo", verbosity=0)
    assert (
        DuesInvoice.objects.count(),
        Payment.objects.count(),
        BankFile.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_dues_are_found_by_name_ocr_or_member_number(client_as):
    hit = invoice_for(MemberFactory(first_name="Greta", last_name="Sökbar", member_number=4711))
    other = invoice_for(MemberFactory(first_name="Nils", last_name="Annan", member_number=4712))
    client = client_as("kassor")
    for query in ("sökbar", "Greta Sök", " ".join([hit.ocr[:4], hit.ocr[4:]]), "4711"):
        page = client.get(reverse("dues:index"), {"ar": 2023, "q": query}).content.decode()
        assert "Sökbar" in page and "Annan" not in page, query
    assert other.ocr


@pytest.mark.django_db
def test_not_reached_keeps_the_contact_task_open_with_a_new_date(client_as):
    from members.models import MemberTask

    member = MemberFactory(phone="+46701234567", email="obetald@example.org")
    task = MemberTask.objects.create(
        member=member, kind=MemberTask.Kind.DUES_CONTACT, year=2023, due_on=DUE
    )
    client = client_as("medlemsansvarig")
    page = client.get(reverse("members:tasks")).content.decode()
    assert 'href="tel:+46701234567"' in page and 'href="mailto:obetald@example.org"' in page
    retry = datetime.date.today() + datetime.timedelta(days=5)
    client.post(reverse("members:task_not_reached", args=[task.pk]), {"retry_on": retry})
    task.refresh_from_db()
    assert task.done_on is None and task.due_on == retry


@pytest.mark.django_db
def test_an_avi_sent_after_its_due_date_is_not_chased_until_the_reminder_days_have_passed():
    invoice = invoice_for(MemberFactory(email="sen@example.org"), sent=False)
    sent_on = datetime.date(2023, 11, 2)  # months after the fee's due date (31 March)
    DuesInvoice.objects.filter(pk=invoice.pk).update(
        sent_at=datetime.datetime.combine(sent_on, datetime.time(9), tzinfo=datetime.UTC)
    )
    assert reminder_steps_due(today=sent_on + datetime.timedelta(days=1)) == []
    assert reminder_steps_due(today=sent_on + datetime.timedelta(days=13)) == []
    assert reminder_steps_due(today=sent_on + datetime.timedelta(days=14)) == [
        (invoice.pk, 1, invoice.amount)
    ]
