"""Retention, import, self-service and statistics."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from dues import services as dues_services
from dues.models import DuesInvoice, Payment
from krets.models import AuditEvent
from members import services
from members.models import Member
from members.tokens import DATA_DOWNLOAD, SELF_SERVICE, UNSUBSCRIBE, member_token
from tests.factories import DistrictFactory, MemberFactory, UserFactory
from tests.fixtures.dues import invoice_for

# --- Retention -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_retention_anonymises_after_the_period_and_keeps_payments(settings):
    settings.KRETS_MEMBER_RETENTION_MONTHS = 12
    login = UserFactory(email="rut@example.org")
    gone = MemberFactory(
        user=login,
        first_name="Rut",
        email="rut@example.org",
        phone="+46701234567",
        left_on=datetime.date(2023, 5, 31),
        notes="Tycker om kaffe",
    )
    recent = MemberFactory(left_on=datetime.date(2023, 10, 1))
    invoice = invoice_for(gone)
    dues_services.payment_register(
        invoice=invoice, amount=Decimal("200"), paid_on=datetime.date(2023, 3, 1), method="swish"
    )

    assert services.members_anonymise_due(today=datetime.date(2024, 5, 30)) == 0
    assert services.members_anonymise_due(today=datetime.date(2024, 5, 31)) == 1
    gone.refresh_from_db()
    assert gone.first_name == "Anonymiserad" and gone.email == "" and gone.phone == ""
    assert gone.birth_date is None and gone.notes == "" and gone.anonymised_on
    assert gone.user is None
    login.refresh_from_db()
    assert not login.is_active and "rut" not in login.email
    recent.refresh_from_db()
    assert recent.anonymised_on is None
    payment = Payment.objects.get(invoice__member=gone)
    assert payment.amount == Decimal("200") and payment.invoice.ocr == invoice.ocr
    assert AuditEvent.objects.filter(
        action="member_anonymised", target=f"medlem:{gone.pk}"
    ).exists()
    # Run again: nothing more to do.
    assert services.members_anonymise_due(today=datetime.date(2024, 6, 1)) == 0
    # Bookkeeping law keeps 2023's records to the end of the seventh year after it, 2030.
    services.members_anonymise_due(today=datetime.date(2030, 12, 31))
    assert DuesInvoice.objects.filter(pk=invoice.pk).exists()
    services.members_anonymise_due(today=datetime.date(2031, 1, 1))
    assert not DuesInvoice.objects.filter(pk=invoice.pk).exists()


# --- Import --------------------------------------------------------------------------------

HEAD = "Förnamn;Efternamn;Födelsedatum;E-post;Telefon;Kommundel;Medlem sedan\n"


def _upload(content: bytes, name: str):
    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_import_with_bad_rows_shows_swedish_errors_and_imports_nothing(client_as):
    DistrictFactory(name="Storvik")
    MemberFactory(email="finns@example.org")
    rows = (
        HEAD
        + "Anna;Ek;1950-01-02;anna@example.org;070-111 22 33;Storvik;2020-01-01\n"
        + "Bo;;1951-13-40;inte-en-adress;12;Mars;2020-01-01\n"
        + "Cilla;Ros;1960-01-01;finns@example.org;;Storvik;2020-01-01\n"
        + "Dan;Ek;1950-01-02;anna@example.org;;;\n"
    )
    client = client_as("medlemsansvarig")
    response = client.post(
        reverse("members:import"), {"file": _upload(("\ufeff" + rows).encode(), "lista.csv")}
    )
    content = response.content.decode()
    assert "3 rader har fel" in content
    assert "Efternamn: Detta fält måste fyllas i." in content
    assert "Födelsedatum: Fyll i ett giltigt datum." in content
    assert "E-post: Fyll i en giltig e-postadress." in content
    assert "är inte ett giltigt telefonnummer" in content
    assert "Okänd kommundel: Mars" in content
    assert "e-postadressen finns redan i registret" in content
    assert "samma e-post som rad 2" in content
    assert 'name="payload"' not in content
    assert not Member.objects.filter(email="anna@example.org").exists()


def test_import_xlsx_preview_then_confirm_imports_all(client_as):
    DistrictFactory(name="Järbo")
    book = Workbook()
    sheet = book.active
    sheet.append(
        [
            "Förnamn",
            "Efternamn",
            "Födelsedatum",
            "E-post",
            "Kommundel",
            "Nyhetsbrev",
            "Medlemsnummer",
        ]
    )
    sheet.append(["Åsa", "Ärlig", datetime.date(1944, 4, 4), "asa@example.org", "Järbo", "ja", ""])
    sheet.append(["Örjan", "Ödman", "1970-07-07", "", "", "", 7001])
    data = io.BytesIO()
    book.save(data)
    client = client_as("medlemsansvarig")
    response = client.post(
        reverse("members:import"), {"file": _upload(data.getvalue(), "lista.xlsx")}
    )
    content = response.content.decode()
    assert (
        "Alla 2 rader är klara" in content and not Member.objects.filter(last_name="Ärlig").exists()
    )
    payload = response.context["payload"]
    response = client.post(reverse("members:import"), {"payload": payload})
    assert response.status_code == 302
    asa = Member.objects.get(last_name="Ärlig")
    assert asa.birth_date == datetime.date(1944, 4, 4) and asa.district.name == "Järbo"
    assert asa.newsletter_consent and asa.member_number
    assert Member.objects.get(last_name="Ödman").member_number == 7001
    assert asa.member_number == 7002  # after the highest number, the file's included
    assert AuditEvent.objects.filter(action="members_imported", detail__rows=2).exists()
    assert not mail.outbox  # existing members are not welcomed again


# --- Self-service --------------------------------------------------------------------------


def test_member_link_shows_swish_qr_and_saves_corrections(client, member_with_invoice):
    member, invoice = member_with_invoice
    url = reverse("members:self_service", args=[member_token(member.pk, SELF_SERVICE)])
    content = client.get(url).content.decode()
    assert (
        "Mina uppgifter" in content
        and 'data-testid="swish-qr"' in content
        and invoice.ocr in content
    )
    response = client.post(
        url, {"email": "ny@example.org", "phone": "070-765 43 21", "newsletter_consent": "on"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    # A new address waits for its confirmation link (tests/test_privacy_tokens.py).
    assert member.email != "ny@example.org" and member.phone == "+46707654321"
    assert member.newsletter_consent and member.newsletter_consent_on == timezone.localdate()
    event = AuditEvent.objects.get(
        action="member_changed", target=f"medlem:{member.pk}", detail__has_key="fields"
    )
    assert event.actor_label == "medlemmen själv" and "phone" in event.detail["fields"]


def test_member_downloads_own_data_as_json(client, member_with_invoice):
    member, invoice = member_with_invoice
    url = reverse("members:self_data", args=[member_token(member.pk, DATA_DOWNLOAD)])
    data = client.get(url).json()
    assert data["email"] == member.email and data["dues"][0]["ocr"] == invoice.ocr
    assert AuditEvent.objects.filter(
        action="members_exported", target=f"medlem:{member.pk}"
    ).exists()


def test_link_for_another_purpose_or_expired_does_not_open(client, settings, db):
    member = MemberFactory()
    wrong = reverse("members:self_service", args=[member_token(member.pk, UNSUBSCRIBE)])
    assert client.get(wrong).status_code == 404
    settings.KRETS_SELF_SERVICE_DAYS = -1
    expired = reverse("members:self_service", args=[member_token(member.pk, SELF_SERVICE)])
    assert client.get(expired).status_code == 404


# --- Statistics ----------------------------------------------------------------------------


def test_statistics_show_ages_districts_the_plans_target_and_unpaid_share(client_as):
    from goals.models import Target
    from tests.fixtures.goals import GoalFactory

    today = timezone.localdate()
    for born in (1940, 1945, 1990):
        MemberFactory(
            birth_date=datetime.date(born, 1, 1), district=DistrictFactory(name="Årsunda")
        )
    unpaid = invoice_for(MemberFactory(), year=today.year)
    paid = invoice_for(MemberFactory(), year=today.year)
    dues_services.payment_register(invoice=paid, amount=paid.amount, paid_on=today, method="swish")
    goal = GoalFactory(year=today.year, number=2)
    Target.objects.create(goal=goal, label="Nya medlemmar", measure="members.gained", target=25)

    response = client_as("ledamot").get(reverse("members:statistics"))
    stats = response.context["stats"]
    assert stats["target"] == 25
    assert dict(stats["ages"])["80–"] == 2  # born 1940 and 1945; the rest in 1960 and later
    assert ("Årsunda", 3) in stats["districts"]
    assert (stats["dues_not_paid"], stats["dues_count"]) == (1, 2) and unpaid
    content = response.content.decode()
    assert "<svg" in content and "cdn" not in content.lower()
