"""Theme-group documents: utkast -> inlämnad -> publicerad, or returned with a comment; each
step mails; only the kommunikationsansvarig (and the ordförande) publishes or returns."""

import pytest
from django.core import mail
from django.urls import reverse

from goals import services
from goals.models import DocumentEvent, ThemeDocument, ThemeGroup
from tests.conftest import make_person
from tests.factories import BoardAssignmentFactory, MemberFactory, UserFactory

from .fixtures.goals import ThemeDocumentFactory, ThemeGroupFactory

# Mails are queued on commit; the task runs in-process here (tests/test_goals_mail.py runs it
# in a real worker against a real SMTP server).
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("tasks_in_process")]


@pytest.fixture
def officer():
    """The kommunikationsansvarig, who gets the submitted documents."""
    user = make_person("kommunikationsansvarig")
    user.member.email = "kommunikation@example.org"
    user.member.save()
    return user


@pytest.fixture
def leader():
    """A theme-group leader with a login but no board function."""
    user = UserFactory(email="ledare@example.org")
    member = MemberFactory(user=user, email="ledare@example.org")
    return user, ThemeGroupFactory(leader=member, topic="Skolan")


def test_leader_without_board_function_drafts_submits_and_gets_it_back_and_published(
    client, officer, leader
):
    leader_user, group = leader
    client.force_login(leader_user)

    response = client.post(
        reverse("goals:document_create", args=[group.pk]),
        {"title": "Byskolan", "body": "Vi vill behålla byskolorna."},
    )
    document = ThemeDocument.objects.get()
    assert response["Location"] == reverse("goals:document_detail", args=[document.pk])
    assert document.status == ThemeDocument.Status.DRAFT
    assert mail.outbox == []

    client.post(reverse("goals:document_submit", args=[document.pk]))
    document.refresh_from_db()
    assert document.status == ThemeDocument.Status.SUBMITTED
    (submitted,) = mail.outbox
    assert submitted.to == ["kommunikation@example.org"]
    assert "Byskolan" in submitted.subject and "Skolan" in submitted.subject
    assert f"/mal/dokument/{document.pk}/" in submitted.body
    assert submitted.alternatives[0][1] == "text/html"

    # The leader cannot publish their own document.
    response = client.post(
        reverse("goals:document_publish", args=[document.pk]),
        {"channel": "Facebook", "published_on": "2023-04-12"},
    )
    assert response.status_code == 403

    client.force_login(officer)
    client.post(
        reverse("goals:document_return", args=[document.pk]),
        {"comment": "Kortare, tack."},
    )
    document.refresh_from_db()
    assert document.status == ThemeDocument.Status.RETURNED
    returned = mail.outbox[1]
    assert returned.to == ["ledare@example.org"]
    assert "Kortare, tack." in returned.body

    client.force_login(leader_user)
    client.post(
        reverse("goals:document_detail", args=[document.pk]),
        {"title": "Byskolan", "body": "Kort."},
    )
    client.post(reverse("goals:document_submit", args=[document.pk]))
    client.force_login(officer)
    client.post(
        reverse("goals:document_publish", args=[document.pk]),
        {"channel": "Facebook", "published_on": "2023-04-12", "link": "https://example.org/a"},
    )
    document.refresh_from_db()
    assert document.status == ThemeDocument.Status.PUBLISHED
    assert (document.body, document.channel, str(document.published_on)) == (
        "Kort.",
        "Facebook",
        "2023-04-12",
    )
    assert [m.subject.split(":")[0] for m in mail.outbox] == [
        "Inlämnat från temagruppen Skolan",
        "Tillbaka för ändring",
        "Inlämnat från temagruppen Skolan",
        "Publicerat",
    ]
    assert mail.outbox[3].to == ["ledare@example.org"]
    assert list(document.events.values_list("kind", flat=True)) == [
        "inlamnad",
        "returnerad",
        "inlamnad",
        "publicerad",
    ]


@pytest.mark.parametrize("role", ["ledamot", "kampanjansvarig", "vice-ordforande"])
def test_other_board_members_can_submit_but_not_publish_or_return(role, client, officer):
    client.force_login(make_person(role))
    document = ThemeDocumentFactory(status=ThemeDocument.Status.SUBMITTED)

    for name, data in [
        ("goals:document_publish", {"channel": "Facebook", "published_on": "2023-04-12"}),
        ("goals:document_return", {"comment": "Nej"}),
    ]:
        assert client.post(reverse(name, args=[document.pk]), data).status_code == 403
    document.refresh_from_db()
    assert document.status == ThemeDocument.Status.SUBMITTED


def test_member_who_leads_no_group_cannot_see_or_submit_its_documents(client, leader):
    document = ThemeDocumentFactory(group=leader[1])
    outsider = UserFactory()
    MemberFactory(user=outsider)
    client.force_login(outsider)

    assert client.get(reverse("goals:document_detail", args=[document.pk])).status_code == 403
    assert client.post(reverse("goals:document_submit", args=[document.pk])).status_code == 403
    assert client.get(reverse("goals:groups")).status_code == 403


def test_leader_sees_only_their_own_group(client, leader):
    leader_user, group = leader
    ThemeGroupFactory(topic="Någon annans grupp")
    client.force_login(leader_user)

    page = client.get(reverse("goals:groups")).content.decode()

    assert "Skolan" in page and "Någon annans grupp" not in page


def test_published_document_cannot_be_edited_or_submitted_again(officer):
    document = ThemeDocumentFactory(status=ThemeDocument.Status.PUBLISHED, body="Original")

    with pytest.raises(services.Invalid):
        services.document_submit(document=document, actor=officer)
    with pytest.raises(services.Invalid):
        services.document_update(actor=None, document=document, title="Ny", body="Ändrad")
    document.refresh_from_db()
    assert document.body == "Original"
    assert mail.outbox == []


def test_return_needs_a_comment(officer):
    document = ThemeDocumentFactory(status=ThemeDocument.Status.SUBMITTED)

    with pytest.raises(services.Invalid):
        services.document_return(document=document, actor=officer, comment="  ")
    document.refresh_from_db()
    assert document.status == ThemeDocument.Status.SUBMITTED


def test_flow_mail_is_sent_once_when_handed_to_the_engine_twice(officer, leader):
    document = ThemeDocumentFactory(group=leader[1])
    services.document_submit(document=document, actor=leader[0])
    event = DocumentEvent.objects.get()
    assert len(mail.outbox) == 1

    assert services.document_event_mail(event_id=event.pk) is False
    assert len(mail.outbox) == 1


def test_submitting_with_no_communication_officer_sends_nothing_but_still_submits(leader):
    BoardAssignmentFactory(function="ledamot")
    document = ThemeDocumentFactory(group=leader[1])

    services.document_submit(document=document, actor=leader[0])

    document.refresh_from_db()
    assert document.status == ThemeDocument.Status.SUBMITTED
    assert mail.outbox == []


def test_chair_creates_a_group_of_any_members_by_email(client_as):
    MemberFactory(email="ledare@example.org")
    MemberFactory(email="deltagare@example.org")
    client = client_as("ordforande")

    response = client.post(
        reverse("goals:group_create"),
        {
            "topic": "Landsbygden",
            "leader_email": "LEDARE@example.org",
            "member_emails": "deltagare@example.org\n",
            "new_profile_issues": "Bredband, Byskolor",
        },
    )

    group = ThemeGroup.objects.get()
    assert response.status_code == 302
    assert group.leader.email == "ledare@example.org"
    assert list(group.members.values_list("email", flat=True)) == ["deltagare@example.org"]
    assert sorted(group.profile_issues.values_list("name", flat=True)) == ["Bredband", "Byskolor"]


def test_group_with_an_unknown_email_is_not_saved(client_as):
    response = client_as("ordforande").post(
        reverse("goals:group_create"),
        {"topic": "Landsbygden", "member_emails": "okand@example.org"},
    )

    assert response.status_code == 200
    assert "okand@example.org" in response.content.decode()
    assert not ThemeGroup.objects.exists()


def test_goals_admin_pages_open_for_staff(client):
    admin_user = make_person("ordforande")  # a board account with two-factor
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for model in ["goal", "activity", "logentry", "themegroup", "themedocument", "programmepoint"]:
        assert client.get(reverse(f"admin:goals_{model}_changelist")).status_code == 200


def test_leader_without_board_function_finds_the_group_on_the_overview(client, leader):
    leader_user, group = leader
    client.force_login(leader_user)

    page = client.get(reverse("overview")).content.decode()

    assert "Temagrupper du leder" in page
    assert reverse("goals:group_detail", args=[group.pk]) in page
