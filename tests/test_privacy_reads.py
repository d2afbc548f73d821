"""Issue 13 item 3: every read of member data is logged, by one mechanism; the admin too."""

import pytest
from django.urls import reverse

from dues.models import DuesInvoice
from krets.models import AuditEvent
from members.models import BoardFunction, User
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for

pytestmark = pytest.mark.django_db


def reads(what: str):
    return AuditEvent.objects.filter(detail__read=what)


def test_the_registry_list_logs_the_filter_keys_and_the_row_count(client_as):
    MemberFactory.create_batch(3, last_name="Andersson")
    client = client_as(BoardFunction.MEMBERSHIP)
    assert client.get(reverse("members:list") + "?q=Andersson&per=200").status_code == 200
    (event,) = reads("member_list")
    assert event.action == AuditEvent.Action.MEMBER_VIEWED
    assert event.detail["rows"] == 3
    assert event.detail["filter"] == ["per", "q"]
    assert "Andersson" not in str(event.detail) + event.target  # keys, never the search term


def test_a_member_page_the_contact_list_and_the_dues_list_are_logged(client_as):
    member = MemberFactory()
    client = client_as(BoardFunction.CHAIR)
    client.get(reverse("members:detail", args=[member.pk]))
    client.get(reverse("members:tasks"))
    client.get(reverse("dues:index"))
    (detail,) = reads("member_detail")
    assert detail.target == f"medlem:{member.pk}"
    assert detail.detail["model"] == "members.member" and detail.detail["id"] == member.pk
    assert reads("contact_list").count() == 1
    assert reads("dues_list").count() == 1


def test_a_refused_page_is_not_logged_as_a_read(client_as):
    client = client_as(BoardFunction.TRAINING)
    assert client.get(reverse("dues:index")).status_code == 403
    assert not reads("dues_list").exists()


@pytest.fixture
def admin_client(client, person):
    user = person(BoardFunction.CHAIR)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def test_admin_member_pages_are_logged_by_row(admin_client):
    member = MemberFactory(first_name="Ingalill", last_name="Admintest")
    assert admin_client.get("/admin/members/member/").status_code == 200
    assert admin_client.get(f"/admin/members/member/{member.pk}/change/").status_code == 200
    (listed,) = reads("admin:members.member").filter(detail__has_key="rows")
    assert listed.detail["rows"] >= 1
    (opened,) = reads("admin:members.member").filter(detail__id=member.pk)
    assert opened.detail["model"] == "members.member"
    for event in AuditEvent.objects.all():
        assert "Admintest" not in event.target + str(event.detail)


def test_admin_invoice_and_payment_pages_are_logged(admin_client):
    invoice = invoice_for(MemberFactory())
    admin_client.get("/admin/dues/duesinvoice/")
    admin_client.get(f"/admin/dues/duesinvoice/{invoice.pk}/change/")
    admin_client.get("/admin/dues/payment/")
    assert reads("admin:dues.duesinvoice").count() == 2
    assert reads("admin:dues.payment").count() == 1
    assert DuesInvoice.objects.count() == 1


def test_admin_rights_changes_and_deactivation_are_logged(admin_client):
    target = User.objects.create_user(email="vanlig@example.org", password="x" * 12)
    url = f"/admin/members/user/{target.pk}/change/"
    form = {
        "email": target.email,
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "is_staff": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    granted = AuditEvent.objects.get(action=AuditEvent.Action.RIGHTS_GRANTED)
    assert granted.detail["rights"] == {"is_staff": True} and granted.detail["id"] == target.pk
    form.pop("is_active")
    form.pop("is_staff")
    admin_client.post(url, form)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.ACCOUNT_DEACTIVATED, detail__id=target.pk
    ).exists()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.RIGHTS_REVOKED, detail__id=target.pk
    ).exists()
