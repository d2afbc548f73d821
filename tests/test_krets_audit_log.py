"""The audit log reads as Swedish sentences with names, filters, pages and exports (logged)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from krets.audit import audit_record
from krets.models import AuditEvent
from members.models import BoardFunction
from members.services import member_target
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
URL = reverse("audit_log")


@pytest.fixture
def chair(client_as):
    return client_as(BoardFunction.CHAIR)


def log(actor, action, member=None, **detail):
    return audit_record(
        None,
        actor=actor,
        action=action,
        target=member_target(member) if member else "",
        detail=detail,
    )


def test_events_are_sentences_with_names_not_ids_or_dicts(chair):
    officer = UserFactory(first_name="Maja", last_name="Medlemsansvarig")
    member = MemberFactory(first_name="Anna", last_name="Andersson")
    log(officer, Action.MEMBER_CHANGED, member, fields=["phone", "email"])
    log(officer, Action.MEMBER_CHANGED, MemberFactory(first_name="Bo", last_name="Berg"), new=True)

    html = chair.get(URL).content.decode()

    assert "Maja Medlemsansvarig ändrade uppgifterna om Anna Andersson." in html
    assert "Maja Medlemsansvarig registrerade Bo Berg som ny medlem." in html
    assert "Fält: telefon, e-post" in html
    assert "medlem:" not in html and "{&#x27;" not in html and "phone" not in html


def test_every_kind_of_event_has_a_sentence():
    from krets.audit_sentences import SENTENCES

    assert set(SENTENCES) == set(Action.values)


def test_filters_by_who_whom_kind_and_date(chair):
    alice = UserFactory(first_name="Alice", last_name="Ordf")
    bob = UserFactory(first_name="Bob", last_name="Kassör")
    anna = MemberFactory(first_name="Anna", last_name="Andersson", member_number=4711)
    berit = MemberFactory(first_name="Berit", last_name="Berg")
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)):
        log(alice, Action.MEMBER_VIEWED, anna)
    with time_machine.travel(datetime.datetime(2026, 3, 5, 12, tzinfo=datetime.UTC)):
        log(bob, Action.MEMBER_VIEWED, berit)
        log(bob, Action.LOGIN)

    def sentences(**query):
        response = chair.get(URL, query)
        return [
            line.strip()
            for line in response.content.decode().splitlines()
            if "<td>" in line and ("läste" in line or "loggade in" in line)
        ]

    assert sentences(vem=alice.pk) == ["<td>Alice Ordf läste uppgifterna om Anna Andersson.</td>"]
    assert sentences(om="Berg") == ["<td>Bob Kassör läste uppgifterna om Berit Berg.</td>"]
    assert sentences(om=str(anna.member_number)) == [
        "<td>Alice Ordf läste uppgifterna om Anna Andersson.</td>"
    ]
    by_kind = sentences(handelse=Action.LOGIN)
    assert len(by_kind) >= 1 and all("loggade in" in line for line in by_kind)
    assert sentences(fran="2026-03-02", till="2026-03-31", handelse=Action.MEMBER_VIEWED) == [
        "<td>Bob Kassör läste uppgifterna om Berit Berg.</td>"
    ]


def test_a_bad_date_in_the_filter_is_a_swedish_message_not_an_error(chair):
    response = chair.get(URL, {"fran": "igår"})
    assert response.status_code == 200
    assert "Fyll i ett giltigt datum" in response.content.decode()


def test_the_log_pages_by_fifty(chair):
    actor = UserFactory()
    for _ in range(60):
        log(actor, Action.LOGIN)

    first = chair.get(URL, {"handelse": Action.LOGIN}).content.decode()
    second = chair.get(URL, {"handelse": Action.LOGIN, "sida": 2}).content.decode()

    assert first.count('data-testid="audit-event"') == 50
    assert second.count('data-testid="audit-event"') >= 10
    assert "Sida 2 av 2" in second


def test_the_chair_exports_the_filtered_log_and_the_export_is_logged(chair):
    officer = UserFactory(first_name="Maja", last_name="M")
    log(officer, Action.MEMBER_VIEWED, MemberFactory(first_name="Anna", last_name="Andersson"))
    log(officer, Action.LOGIN)

    response = chair.get(reverse("audit_log_export"), {"handelse": Action.MEMBER_VIEWED})

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffTid;Vem;Händelse;Vad som hände;Detaljer;IP-adress\r\n")
    assert "Maja M läste uppgifterna om Anna Andersson." in text
    assert "loggade in" not in text.split("\r\n", 2)[1]
    export = AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).get()
    assert export.detail["rows"] == 1
    assert export.detail["filter"] == ["handelse"]  # the keys, never the values
    # ... and the export shows in the log as a sentence.
    assert "exporterade loggen." in chair.get(URL).content.decode()


def test_only_the_chair_reads_or_exports_the_log(client_as):
    client = client_as(BoardFunction.VICE_CHAIR)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("audit_log_export")).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()
