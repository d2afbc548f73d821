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


# --- One mechanism for every read (issue 13 item 3, the rest) ------------------------------

# Every page that shows member data, by URL name, with the name its reads are logged under.
PERSONAL_DATA_VIEWS = {
    "members:list": "member_list",
    "members:detail": "member_detail",
    "members:edit": "member_edit",
    "members:tasks": "contact_list",
    "members:extract": "register_extract",
    "members:statistics": "member_statistics",
    "members:self_service": "self_service",
    "members:self_data": "own_data",
    "dues:index": "dues_list",
    "dues:invoice": "dues_invoice",
    "dues:invoice_pdf": "dues_invoice_pdf",
    "dues:export": "dues_export",
    "dues:bank": "dues_bank_queue",
    "dues:bank_file": "dues_bank_file",
    "dues:households": "dues_households",
    "dues:household_edit": "dues_household",
    "dues:categories": "dues_categories",
    "dues:overpayments": "dues_overpayments",
    "goals:new_members": "new_members",
    "goals:members_left": "members_left",
    "meetings:detail": "meeting_signups",
    "meetings:attendance": "attendance",
    "meetings:participants": "training_participants",
    "meetings:participants_csv": "training_participants_csv",
    "meetings:records_attended": "meetings_attended",
    "visitors:applications": "applications",
    "visitors:contacts": "visitor_contacts",
    "visitors:funnel": "visitor_funnel",
    "audit_log": "audit_log",
    "audit_log_export": "audit_log_export",
    "suppressions": "suppressions",
}
# GET pages of our apps decided not to show member data (a decision per page, like the role
# sweep: a new page fails test_every_page_is_decided until it is on one of the two lists).
NO_MEMBER_DATA = {
    # Names of the board and of theme-group members are their roles, shown to the board; the
    # leave form names the member only; minutes are what the meeting adopted.
    "members:board", "members:board_invite", "members:create", "members:import",
    "members:leave", "members:email_confirm", "members:login_email_change",
    "members:login_email_confirm", "overview", "account", "healthz",
    "dues:bank_files", "dues:fees",
    "goals:activity_create", "goals:activity_edit", "goals:document_attachment_download",
    "goals:document_create", "goals:document_detail", "goals:goal_create", "goals:goal_edit",
    "goals:group_create", "goals:group_detail", "goals:group_edit", "goals:groups",
    "goals:index", "goals:log", "goals:overview_status", "goals:plan", "goals:point_create",
    "goals:point_edit", "goals:programme", "goals:report", "goals:report_edit",
    "goals:report_latest", "goals:report_pdf", "goals:target_create", "goals:target_edit",
    "meetings:adjust", "meetings:adjust_signed_in", "meetings:attachment_download",
    "meetings:council", "meetings:create", "meetings:decisions", "meetings:edit",
    "meetings:feed", "meetings:feeds", "meetings:ics", "meetings:index", "meetings:kit",
    "meetings:matter", "meetings:matter_create", "meetings:matters", "meetings:minutes",
    "meetings:minutes_pdf", "meetings:month", "meetings:plan", "meetings:private_feed",
    "meetings:records_held", "meetings:reply", "meetings:signed_ics",
    "meetings:training_create", "meetings:unsubscribe",
    # Competition entrants and panellists are the public, not members.
    "campaigns:activity_add", "campaigns:channels", "campaigns:competition_create",
    "campaigns:competition_detail", "campaigns:competitions", "campaigns:content",
    "campaigns:content_create", "campaigns:content_detail", "campaigns:content_edit",
    "campaigns:create", "campaigns:detail", "campaigns:edit", "campaigns:index",
    "campaigns:marketing", "campaigns:marketing_month", "campaigns:panel_create",
    "campaigns:panel_edit", "campaigns:panels", "campaigns:records",
    "newsletters:archive", "newsletters:archive_detail", "newsletters:create",
    "newsletters:detail", "newsletters:edit", "newsletters:index", "newsletters:preview",
    "newsletters:progress", "newsletters:unsubscribe", "newsletters:records_sent",
    "visitors:embed", "visitors:funnel_year", "visitors:index", "visitors:join",
    "visitors:join_verify", "visitors:meeting", "visitors:meeting_ics",
    "visitors:signup_confirm", "visitors:unsubscribe",
}  # fmt: skip


def url_views() -> dict:
    from django.urls import URLResolver, get_resolver

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, inner)
            elif pattern.name:
                yield namespace + pattern.name, pattern.callback

    return dict(walk(get_resolver().url_patterns))


def test_every_view_that_shows_member_data_is_marked_and_no_other():
    from krets.reads import read_mark

    views = url_views()
    unmarked = {
        name: what
        for name, what in PERSONAL_DATA_VIEWS.items()
        if name not in views or getattr(read_mark(views[name]), "what", None) != what
    }
    assert unmarked == {}
    marked = {name for name, view in views.items() if read_mark(view) is not None}
    assert marked - set(PERSONAL_DATA_VIEWS) == set()


def test_every_page_is_decided():
    from krets.middleware import OWN_APPS
    from tests.access import all_rules

    views = url_views()
    undecided = sorted(
        name
        for name, rule in all_rules().items()
        if rule.method == "get"
        and name in views
        and views[name].__module__.startswith(OWN_APPS)
        and name not in PERSONAL_DATA_VIEWS
        and name not in NO_MEMBER_DATA
    )
    assert undecided == [], "shows member data? add to PERSONAL_DATA_VIEWS or NO_MEMBER_DATA"


SECRET = "Hemligsson"  # a search term that is a name: it must never reach the log
PREFERRED_ROLES = [
    BoardFunction.CHAIR,
    BoardFunction.TREASURER,
    BoardFunction.MEMBERSHIP,
    BoardFunction.TRAINING,
]


def _open_meeting_with_signups() -> dict:
    from meetings.models import Kind
    from tests.fixtures.meetings import MeetingFactory
    from visitors.models import SignUp

    meeting = MeetingFactory(kind=Kind.OPEN_ACTIVITY)
    for name in ("Ada", "Bo"):
        SignUp.objects.create(
            meeting=meeting,
            name=name,
            email=f"{name.lower()}@example.org",
            consent_text="ja",
            confirmed_at=meeting.starts_at,
        )
    return {"pk": meeting.pk}


@pytest.mark.parametrize("url_name", sorted(PERSONAL_DATA_VIEWS))
def test_each_read_writes_one_entry_with_the_row_count_and_no_filter_value(client_as, url_name):
    from tests.access import ANONYMOUS, all_rules

    rule = all_rules()[url_name]
    what = PERSONAL_DATA_VIEWS[url_name]
    kwargs = _open_meeting_with_signups() if url_name == "meetings:detail" else {}
    if not kwargs and rule.kwargs:
        kwargs = rule.kwargs()
    if rule.anonymous == 200:  # opened by a mailed link, nobody signed in
        role = ANONYMOUS
    else:
        role = next(r for r in [*PREFERRED_ROLES, *sorted(rule.allowed)] if r in rule.allowed)
    query = rule.query or "?"
    url = reverse(url_name, kwargs=kwargs) + query + ("&" if query != "?" else "") + f"q={SECRET}"
    before = AuditEvent.objects.count()

    response = client_as(role).get(url)

    assert response.status_code == 200
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    new = list(AuditEvent.objects.order_by("id")[before:])
    logged = [event for event in new if (event.detail or {}).get("read") == what]
    assert len(logged) == 1, [(e.action, e.detail) for e in new]
    (event,) = logged
    assert "rows" in event.detail or "id" in event.detail
    assert "q" in event.detail["filter"]
    assert SECRET not in event.target + str(event.detail)
    assert set(event.detail) <= {"read", "filter", "rows", "model", "id"}
    if role == ANONYMOUS:
        assert event.actor_id is None and event.actor_label == "medlemmen själv"
    else:
        assert event.actor_id is not None


def test_a_meeting_page_without_a_list_of_people_is_not_a_read(client_as):
    from tests.fixtures.meetings import MeetingFactory

    client_as("medlem").get(reverse("meetings:detail", args=[MeetingFactory().pk]))
    assert not reads("meeting_signups").exists()


def test_the_audit_log_is_a_read_of_its_own(client_as):
    client = client_as(BoardFunction.CHAIR)
    client.get(reverse("audit_log"))
    client.get(reverse("audit_log") + f"?om={SECRET}")
    first, second = reads("audit_log").order_by("id")
    assert "filter" not in first.detail and second.detail["filter"] == ["om"]
    assert SECRET not in str(second.detail)


def person_relations(model) -> bool:
    from django.conf import settings

    people = {settings.AUTH_USER_MODEL.lower(), "members.member"}
    if model._meta.label_lower in people | {"krets.auditevent"}:
        return True
    return any(
        field.is_relation
        and not field.auto_created
        and field.related_model is not None
        and field.related_model._meta.label_lower in people
        for field in model._meta.get_fields()
    )


def test_every_admin_that_shows_people_is_audited():
    from django.contrib import admin

    from krets.admin_audit import AuditedAdmin

    unaudited = sorted(
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if person_relations(model) and not isinstance(model_admin, AuditedAdmin)
    )
    # Groups name no person on their pages (members are listed on the user's page).
    assert unaudited == []


def test_every_audited_admin_list_is_one_read_with_its_row_count(admin_client):
    from django.contrib import admin

    from krets.admin_audit import AuditedAdmin

    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, AuditedAdmin):
            continue
        label = model._meta.label_lower
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        before = AuditEvent.objects.count()
        assert admin_client.get(url + f"?q={SECRET}").status_code == 200, label
        new = list(AuditEvent.objects.order_by("id")[before:])
        assert [e.detail["read"] for e in new] == [f"admin:{label}"], label
        assert "rows" in new[0].detail and SECRET not in str(new[0].detail)
