"""The kassör's correction pages (fee edit, credit notes, write-off and reversal asked first),
fee categories and households, and the contact list of unpaid dues with the amount owed."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from dues import services
from dues.models import CreditNote, DuesInvoice, Fee, Household, MemberCategory, Payment
from dues.swish import swish_payload
from krets.models import AuditEvent
from members.models import MemberTask
from tests.conftest import make_person
from tests.factories import DistrictFactory, MemberFactory
from tests.fixtures.dues import fee_for, invoice_for

pytestmark = pytest.mark.django_db


def codes() -> list[str]:
    return [e.detail["code"] for e in AuditEvent.objects.filter(action="dues_changed")]


def numbered(**kwargs):
    member = MemberFactory(**kwargs)
    member.member_number = 5000 + member.pk
    member.save(update_fields=["member_number"])
    return member


# --- Item 3: the Swish QR code as Swish's document says -------------------------------------


def test_swish_qr_string_is_the_documented_example():
    # developer.getswish.se QR-code API manual, 6.1 Swish C2B: a company 1237856901 invoicing
    # 100 SEK with OCR 12229445, everything locked.
    assert (
        swish_payload(number="123 785 69 01", amount=Decimal("100"), message="12229445")
        == "C1237856901;100,00;12229445;0"
    )


# --- Item 6: fee edits, credit notes, confirmations -----------------------------------------


def test_fee_edit_changes_the_unsent_invoices_but_keeps_a_late_joiners_due_date(client_as):
    fee = fee_for(2031, "200.00", name="Ordinarie")
    early = services.invoice_create(member=numbered(), fee=fee)
    late = DuesInvoice.objects.create(
        member=numbered(),
        year=2031,
        fee=fee,
        amount=fee.amount,
        due_on=datetime.date(2031, 5, 15),
        ocr="203100999999",
    )
    client = client_as("kassor")
    response = client.post(
        reverse("dues:fee_edit", args=[fee.pk]),
        {"name": "Ordinarie", "amount": "1 250,50", "due_on": "2031-04-30"},
    )
    assert response.status_code == 302
    fee.refresh_from_db()
    assert fee.amount == Decimal("1250.50") and fee.due_on == datetime.date(2031, 4, 30)
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.amount, early.due_on) == (Decimal("1250.50"), datetime.date(2031, 4, 30))
    assert (late.amount, late.due_on) == (Decimal("1250.50"), datetime.date(2031, 5, 15))
    assert "fee_changed" in codes()


def test_fee_edit_refuses_a_name_the_year_already_has(client_as):
    fee = fee_for(2031, name="Ordinarie")
    fee_for(2031, name="Ungdom")
    page = client_as("kassor").post(
        reverse("dues:fee_edit", args=[fee.pk]),
        {"name": "Ungdom", "amount": "100", "due_on": "2031-03-31"},
    )
    assert "Det finns redan en avgift med det namnet det året." in page.content.decode()
    fee.refresh_from_db()
    assert fee.name == "Ordinarie"


def test_a_sent_fee_cannot_be_edited_and_the_page_offers_a_credit_note(client_as):
    invoice = invoice_for(numbered(), year=2031, amount="200.00", sent=True)
    client = client_as("kassor")
    url = reverse("dues:fee_edit", args=[invoice.fee_id])
    page = client.get(url).content.decode()
    assert 'data-testid="fee-locked"' in page
    assert reverse("dues:invoice_credit", args=[invoice.pk]) in page
    assert 'name="amount"' not in page
    client.post(url, {"name": "Annan", "amount": "999", "due_on": "2031-03-31"})
    fee = Fee.objects.get(pk=invoice.fee_id)
    assert (fee.name, fee.amount) == ("Avgift 200.00", Decimal("200.00"))
    assert "fee_changed" not in codes()


def test_credit_note_page_lowers_the_invoice_and_the_invoice_page_lists_it(client_as):
    invoice = invoice_for(numbered(), year=2031, amount="200.00")
    client = client_as("kassor")
    response = client.post(
        reverse("dues:invoice_credit", args=[invoice.pk]),
        {"amount": "50,50", "reason": "Studentrabatt efter intyg"},
    )
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert invoice.amount == Decimal("149.50")
    note = CreditNote.objects.get(invoice=invoice)
    assert note.amount == Decimal("50.50") and note.reason == "Studentrabatt efter intyg"
    assert "invoice_credited" in codes()
    page = client.get(reverse("dues:invoice", args=[invoice.pk])).content.decode()
    assert "50,50" in page and "Studentrabatt efter intyg" in page


def test_credit_note_above_the_invoice_is_refused_in_swedish(client_as):
    invoice = invoice_for(numbered(), year=2031, amount="200.00")
    page = client_as("kassor").post(
        reverse("dues:invoice_credit", args=[invoice.pk]),
        {"amount": "250", "reason": "Fel"},
    )
    assert "Högst avins belopp, 200,00 kr." in page.content.decode()
    assert not CreditNote.objects.exists()
    invoice.refresh_from_db()
    assert invoice.amount == Decimal("200.00")


def test_write_off_without_confirm_asks_and_changes_nothing(client_as):
    invoice = invoice_for(numbered(), year=2031)
    client = client_as("kassor")
    url = reverse("dues:invoice_write_off", args=[invoice.pk])
    page = client.post(url, {"reason": "Avliden"})
    assert page.status_code == 200
    assert "Skriva av skulden?" in page.content.decode()
    assert 'name="confirm" value="1"' in page.content.decode()
    invoice.refresh_from_db()
    assert invoice.written_off_on is None and "invoice_written_off" not in codes()
    client.post(url, {"reason": "Avliden", "confirm": "1"})
    invoice.refresh_from_db()
    assert invoice.written_off_on is not None and invoice.write_off_reason == "Avliden"


def test_payment_reversal_without_confirm_asks_and_changes_nothing(client_as):
    invoice = invoice_for(numbered(), year=2023)
    payment = services.payment_register(
        invoice=invoice, amount=Decimal("200"), paid_on=datetime.date(2023, 4, 1), method="swish"
    )
    client = client_as("kassor")
    url = reverse("dues:payment_reverse", args=[payment.pk])
    data = {"reversed_on": "2023-04-02", "reason": "Fel medlem"}
    page = client.post(url, data)
    assert page.status_code == 200 and "Återföra betalningen?" in page.content.decode()
    assert Payment.objects.count() == 1
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("200.00")
    client.post(url, {**data, "confirm": "1"})
    invoice.refresh_from_db()
    assert invoice.paid_amount == Decimal("0.00") and Payment.objects.count() == 2


def test_confirmation_is_refused_to_whoever_may_not_change_dues(client_as):
    invoice = invoice_for(numbered(), year=2031)
    response = client_as("medlemsansvarig").post(
        reverse("dues:invoice_write_off", args=[invoice.pk]), {"reason": "x"}
    )
    assert response.status_code == 403


# --- Item 5: categories and households ------------------------------------------------------


def test_kassor_creates_a_household_by_member_numbers(client_as):
    payer, partner, child = numbered(), numbered(), numbered()
    client = client_as("kassor")
    response = client.post(
        reverse("dues:household_create"),
        {
            "name": "Familjen Ek",
            "payer": str(payer.member_number),
            "members": f"{partner.member_number}, {child.member_number}",
        },
    )
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.payer == payer
    assert set(household.members.all()) == {payer, partner, child}
    event = AuditEvent.objects.get(action="dues_changed", target=f"hushall:{household.pk}")
    assert event.detail == {"code": "household_created", "members": "3"}
    listing = client.get(reverse("dues:households")).content.decode()
    assert "Familjen Ek" in listing and partner.full_name in listing


def test_a_member_cannot_be_in_two_households(client_as):
    payer, partner, other = numbered(), numbered(), numbered()
    services.household_create(actor=None, name="Ett", payer=payer, members=[partner])
    client = client_as("kassor")
    page = client.post(
        reverse("dues:household_create"),
        {"name": "Två", "payer": str(other.member_number), "members": str(partner.member_number)},
    ).content.decode()
    assert "Redan med i ett annat hushåll" in page and partner.full_name in page
    assert Household.objects.count() == 1


def test_household_form_names_unknown_and_departed_member_numbers(client_as):
    payer = numbered()
    gone = numbered(left_on=datetime.date(2020, 1, 1))
    client = client_as("kassor")
    page = client.post(
        reverse("dues:household_create"),
        {"name": "X", "payer": str(payer.member_number), "members": "99999999"},
    ).content.decode()
    assert "Inget medlemsnummer 99999999 i registret." in page
    page = client.post(
        reverse("dues:household_create"),
        {"name": "X", "payer": str(payer.member_number), "members": str(gone.member_number)},
    ).content.decode()
    assert f"Har gått ur föreningen: medlemsnummer {gone.member_number}." in page
    page = client.post(
        reverse("dues:household_create"),
        {"name": "X", "payer": str(payer.member_number), "members": "Anna"},
    ).content.decode()
    assert "Skriv medlemsnummer (siffror)" in page
    assert not Household.objects.exists()


def test_household_edit_changes_payer_and_members_and_is_audited(client_as):
    payer, partner, child = numbered(), numbered(), numbered()
    household = services.household_create(actor=None, name="Ek", payer=payer, members=[partner])
    client = client_as("kassor")
    url = reverse("dues:household_edit", args=[household.pk])
    assert str(partner.member_number) in client.get(url).content.decode()
    client.post(
        url,
        {"name": "Ek", "payer": str(partner.member_number), "members": str(child.member_number)},
    )
    household.refresh_from_db()
    assert household.payer == partner
    assert set(household.members.all()) == {partner, child}
    assert "household_changed" in codes()


def test_categories_page_sets_a_members_category_and_adds_a_category_fee(client_as):
    member = numbered()
    client = client_as("kassor")
    url = reverse("dues:categories")
    client.post(url, {"form": "member", "number": member.member_number, "category": "ungdom"})
    assert MemberCategory.objects.get(member=member).category == "ungdom"
    assert "category_set" in codes()
    client.post(
        url,
        {
            "form": "fee",
            "year": "2031",
            "name": "Ungdom",
            "category": "ungdom",
            "amount": "1 200,50",
            "due_on": "2031-03-31",
        },
    )
    fee = Fee.objects.get(year=2031, category="ungdom")
    assert fee.amount == Decimal("1200.50")
    page = client.get(url).content.decode()
    assert "Ungdom" in page and "1 200,50" in page and member.full_name in page
    wrong = client.post(url, {"form": "member", "number": 99999999, "category": "ungdom"})
    assert "Inget medlemsnummer 99999999 i registret." in wrong.content.decode()


# --- Item 9: the contact list of unpaid dues ------------------------------------------------


def contact_task(member, *, due_on=datetime.date(2030, 1, 1), year=2023) -> MemberTask:
    return MemberTask.objects.create(
        member=member, kind=MemberTask.Kind.DUES_CONTACT, year=year, due_on=due_on
    )


def test_contact_list_shows_what_each_member_owes(client_as):
    member = numbered(first_name="Skuldsatt", phone="+46701112233")
    invoice = invoice_for(member, year=2023, amount="250.00")
    services.payment_register(
        invoice=invoice, amount=Decimal("100"), paid_on=datetime.date(2023, 4, 1), method="swish"
    )
    contact_task(member)
    page = client_as("medlemsansvarig").get(reverse("members:tasks")).content.decode()
    assert "Skuldsatt" in page and "150,00" in page
    assert 'href="tel:+46701112233"' in page


def test_contact_list_shows_no_amounts_to_the_secretary(client_as):
    member = numbered(first_name="Hemlig")
    invoice_for(member, year=2023, amount="250.00")
    contact_task(member)
    page = client_as("sekreterare").get(reverse("members:tasks")).content.decode()
    assert "Hemlig" in page and "250,00" not in page and "Att betala" not in page


def test_contact_list_filters_by_district_status_and_search(client_as):
    north, south = DistrictFactory(name="Norr"), DistrictFactory(name="Söder")
    overdue = numbered(first_name="Försenad", last_name="Nordin", district=north)
    in_time = numbered(first_name="Itid", last_name="Sund", district=south)
    contact_task(overdue, due_on=datetime.date(2020, 1, 1))
    contact_task(in_time, due_on=datetime.date(2099, 1, 1))
    client = client_as("medlemsansvarig")

    def names(**query) -> set[str]:
        page = client.get(reverse("members:tasks"), query).content.decode()
        section = page[page.index('id="kontakta"') :]
        return {name for name in ("Nordin", "Sund") if name in section}

    assert names() == {"Nordin", "Sund"}
    assert names(kommundel=north.pk) == {"Nordin"}
    assert names(status="forsenad") == {"Nordin"}
    assert names(status="i-tid") == {"Sund"}
    assert names(q="sund") == {"Sund"}
    assert names(q=str(overdue.member_number)) == {"Nordin"}
    assert names(q="ingen-sådan") == set()


def test_contact_list_is_paged_with_a_constant_number_of_queries(
    client_as, django_assert_max_num_queries
):
    client = client_as("medlemsansvarig")
    first = numbered(last_name="Aaberg")
    invoice_for(first, year=2023)
    contact_task(first, due_on=datetime.date(2030, 1, 1))
    with django_assert_max_num_queries(10):
        client.get(reverse("members:tasks"))
    for index in range(30):
        member = numbered(last_name=f"Zeta{index:02d}")
        invoice_for(member, year=2023)
        contact_task(member, due_on=datetime.date(2030, 1, 2 + index % 20))
    with django_assert_max_num_queries(10):
        page1 = client.get(reverse("members:tasks")).content.decode()
    with django_assert_max_num_queries(10):
        page2 = client.get(reverse("members:tasks"), {"sida": 2}).content.decode()
    zetas1 = {f"Zeta{i:02d}" for i in range(30) if f"Zeta{i:02d}" in page1}
    zetas2 = {f"Zeta{i:02d}" for i in range(30) if f"Zeta{i:02d}" in page2}
    assert "Aaberg" in page1 and len(zetas1) == 24 and len(zetas2) == 6
    assert not zetas1 & zetas2
    assert "sida=2#kontakta" in page1 and "sida=1#kontakta" in page2


def test_done_returns_to_the_same_search_and_page_of_the_contact_list(client_as):
    member = numbered(last_name="Tillbaka")
    task = contact_task(member)
    client = client_as("medlemsansvarig")
    back = "http://testserver" + reverse("members:tasks") + "?q=Tillbaka&sida=1"
    response = client.post(
        reverse("members:task_done", args=[task.pk]), {"method": "telefon"}, HTTP_REFERER=back
    )
    assert response["Location"] == back
    elsewhere = client.post(
        reverse("members:task_not_reached", args=[contact_task(numbered()).pk]),
        {"retry_on": "2099-01-01"},
        HTTP_REFERER="https://evil.example/medlemmar/uppgifter/",
    )
    assert elsewhere["Location"] == reverse("members:tasks")


def test_the_admin_also_keeps_a_member_in_one_household(client):
    user = make_person("ordforande")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    payer, partner, other = numbered(), numbered(), numbered()
    services.household_create(actor=None, name="Ett", payer=payer, members=[partner])
    page = client.post(
        reverse("admin:dues_household_add"),
        {"name": "Två", "payer": other.pk, "members": f"{partner.pk}"},
    )
    assert "Redan med i ett annat hushåll" in page.content.decode()
    assert Household.objects.count() == 1


def test_a_household_member_without_a_number_gets_one_to_be_named_by(client_as):
    payer, old_timer = numbered(), MemberFactory()
    household = services.household_create(actor=None, name="Gamla", payer=payer, members=[])
    household.members.add(old_timer)
    assert old_timer.member_number is None
    page = client_as("kassor").get(reverse("dues:household_edit", args=[household.pk]))
    old_timer.refresh_from_db()
    assert old_timer.member_number is not None
    assert str(old_timer.member_number) in page.content.decode()
