"""The registry: create, edit, leave, search, audit, and who sees contact details."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krets.models import AuditEvent
from members.models import Member, MemberTask
from tests.factories import DistrictFactory, MemberFactory

pytestmark = pytest.mark.usefixtures("tasks_in_process")


def test_new_member_gets_number_e164_phone_welcome_task_and_welcome_mail(
    client_as, django_capture_on_commit_callbacks
):
    client = client_as("medlemsansvarig")
    district = DistrictFactory(name="Järbo")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("members:create"),
            {
                "first_name": "Åsa",
                "last_name": "Öhman",
                "birth_date": "1950-02-03",
                "email": "asa.ohman@example.org",
                "phone": "070-123 45 67",
                "district": district.pk,
                "joined_on": "2026-11-01",
                "recruitment_source": "Torgmöte i Järbo",
            },
        )
    assert response.status_code == 302
    member = Member.objects.get(email="asa.ohman@example.org")
    assert member.phone == "+46701234567"
    assert member.member_number
    task = MemberTask.objects.get(member=member, kind=MemberTask.Kind.WELCOME)
    assert task.done_on is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["asa.ohman@example.org"]
    assert "Välkommen" in message.subject
    assert "Hej Åsa" in message.body
    assert "/medlemmar/mina-uppgifter/" in message.body
    assert message.alternatives[0][1] == "text/html"


def test_invalid_phone_is_refused_in_swedish(client_as):
    client = client_as("medlemsansvarig")
    response = client.post(
        reverse("members:create"),
        {"first_name": "A", "last_name": "B", "phone": "12", "joined_on": "2026-01-01"},
    )
    assert response.status_code == 200
    assert "är inte ett giltigt telefonnummer" in response.content.decode()
    assert not Member.objects.filter(last_name="B").exists()


def test_opening_a_member_page_is_audited(client_as):
    member = MemberFactory()
    client = client_as("kassor")
    response = client.get(reverse("members:detail", args=[member.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="member_viewed", target=f"medlem:{member.pk}").exists()


def test_edit_records_changed_fields_and_leave_ends_open_tasks(client_as):
    member = MemberFactory(phone="+46701234567")
    MemberTask.objects.create(member=member, kind="valkomna", due_on=datetime.date(2030, 1, 1))
    client = client_as("medlemsansvarig")
    data = {
        "first_name": member.first_name,
        "last_name": member.last_name,
        "email": "ny@example.org",
        "phone": "0701234567",
        "joined_on": "2015-01-01",
        "member_number": member.member_number or 5000,
        "district": member.district_id,
        "birth_date": "1960-05-17",
    }
    assert client.post(reverse("members:edit", args=[member.pk]), data).status_code == 302
    event = AuditEvent.objects.filter(action="member_changed").latest("id")
    assert "email" in event.detail["fields"] and "phone" not in event.detail["fields"]
    response = client.post(
        reverse("members:leave", args=[member.pk]), {"left_on": "2026-06-30", "reason": "Flyttat"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == datetime.date(2026, 6, 30) and member.leave_reason == "Flyttat"
    assert not member.tasks.filter(done_on=None).exists()


def test_search_finds_by_name_email_phone_and_district(client_as):
    MemberFactory(first_name="Greta", last_name="Lundgren", phone="+46702223344")
    MemberFactory(first_name="Olle", last_name="Berg", district=DistrictFactory(name="Gysinge"))
    client = client_as("medlemsansvarig")
    for query, expected in [
        ("Lundgren", "Greta"),
        ("070-222 33 44", "Greta"),
        ("Gysinge", "Olle"),
    ]:
        content = client.get(reverse("members:list"), {"q": query}).content.decode()
        assert expected in content, query


def test_filters_by_age_band_and_joined(client_as):
    MemberFactory(last_name="Ungsson", birth_date=datetime.date(2000, 1, 1))
    MemberFactory(last_name="Gammelsson", birth_date=datetime.date(1940, 1, 1))
    client = client_as("medlemsansvarig")
    content = client.get(reverse("members:list"), {"alder": "80-"}).content.decode()
    assert "Gammelsson" in content and "Ungsson" not in content


@pytest.mark.parametrize("per", [25, 200])
@pytest.mark.parametrize(
    "query",
    [
        {},
        {"sida": "3"},
        {"q": "Person"},
        {"kommundel": "1", "status": "alla"},
        {"avgift": "obetald", "avgiftsar": "2023"},
    ],
)
def test_member_list_query_count_is_pinned(client_as, per, query):
    MemberFactory.create_batch(60)
    client = client_as("medlemsansvarig")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:list"), {**query, "per": per})
    assert response.status_code == 200
    # Savepoints around the session save are not queries; everything else counts, including
    # the session, the user, their rights and two-factor (6 of the 11), and the read's audit
    # entry (issue 13: every list page is logged).
    assert len(sql_statements(queries)) <= 11


def sql_statements(queries) -> list[str]:
    return [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def test_secretary_sees_names_but_no_contact_details(client_as):
    member = MemberFactory(first_name="Signe", phone="+46705556677", email="signe@example.org")
    MemberTask.objects.create(member=member, kind="valkomna", due_on=datetime.date(2030, 1, 1))
    client = client_as("sekreterare")
    assert client.get(reverse("members:list")).status_code == 302
    content = client.get(reverse("members:tasks")).content.decode()
    assert "Signe" in content
    assert "signe@example.org" not in content and "070-555 66 77" not in content
    assert client.get(reverse("members:detail", args=[member.pk])).status_code == 403
    overview = client.get(reverse("overview")).content.decode()
    assert "Signe" in overview and "signe@example.org" not in overview


def test_task_done_records_how_the_person_was_contacted(client_as):
    member = MemberFactory()
    task = MemberTask.objects.create(
        member=member, kind="valkomna", due_on=datetime.date(2030, 1, 1)
    )
    client = client_as("medlemsansvarig")
    client.post(reverse("members:task_done", args=[task.pk]), {"method": "telefon", "note": "Glad"})
    task.refresh_from_db()
    assert task.done_on is not None and task.method == "telefon" and task.note == "Glad"


def test_register_extract_has_everything_and_is_audited(client_as, member_with_invoice):
    member, invoice = member_with_invoice
    client = client_as("medlemsansvarig")
    response = client.get(reverse("members:extract", args=[member.pk]))
    data = response.json()
    assert data["first_name"] == member.first_name
    assert data["dues"][0]["ocr"] == invoice.ocr
    assert AuditEvent.objects.filter(
        action="members_exported", target=f"medlem:{member.pk}"
    ).exists()


def test_task_list_query_count_does_not_grow_with_tasks(client_as):
    client = client_as("medlemsansvarig")
    MemberTask.objects.create(
        member=MemberFactory(), kind="valkomna", due_on=datetime.date(2030, 1, 1)
    )
    # One contact task from the start: a contact list with rows asks the parts (dues) what
    # each row owes, in one query for the page, with one row as with 21.
    MemberTask.objects.create(
        member=MemberFactory(), kind="kontakta", year=2023, due_on=datetime.date(2030, 1, 1)
    )
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("members:tasks"))
    for member in MemberFactory.create_batch(20):
        MemberTask.objects.create(
            member=member, kind="kontakta", year=2023, due_on=datetime.date(2030, 1, 1)
        )
    with CaptureQueriesContext(connection) as many:
        content = client.get(reverse("members:tasks")).content.decode()
    assert len(sql_statements(many)) == len(sql_statements(few)) <= 10
    assert content.count("kontakta personligen") == 1


def test_member_is_sent_a_working_self_service_link(client_as, django_capture_on_commit_callbacks):
    member = MemberFactory(email="lank@example.org")
    client = client_as("medlemsansvarig")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("members:send_link", args=[member.pk]))
    (message,) = mail.outbox
    assert message.to == ["lank@example.org"]
    link = next(line for line in message.body.splitlines() if "/mina-uppgifter/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    assert "Mina uppgifter" in client.get(f"/{path}").content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_members_registered_at_the_same_instant_get_different_numbers():
    import threading

    from django.db import connections

    from members import services

    MemberFactory(member_number=1500)
    barrier = threading.Barrier(4)
    errors = []

    def register(n: int):
        try:
            barrier.wait()
            services.member_create(
                actor=None,
                data={
                    "first_name": f"Samtidig{n}",
                    "last_name": "Medlem",
                    "email": f"s{n}@example.org",
                },
            )
        except Exception as error:  # noqa: BLE001 - the assertion below reports it
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=[n]) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(
        Member.objects.filter(last_name="Medlem").values_list("member_number", flat=True)
    )
    assert numbers == [1501, 1502, 1503, 1504]
