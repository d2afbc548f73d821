"""Politicians log in without a board function: the council group's meetings, their matters,
the election programme and the kit; nothing of the registry; two-factor required."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from krets.celery import app
from meetings import services as meeting_services
from meetings.models import Kind
from members import services as member_services
from members.models import BoardFunction, Member, PartyPosition
from tests.factories import BodyAssignmentFactory, MemberFactory, UserFactory, add_totp
from tests.fixtures.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def commissioner_user(two_factor=True):
    user = UserFactory()
    member = MemberFactory(user=user, email=user.email)
    PartyPosition.objects.create(
        member=member, kind=PartyPosition.Kind.COMMISSIONER, starts_on=datetime.date(2020, 1, 1)
    )
    if two_factor:
        add_totp(user)
    return user


def test_a_politicians_account_sees_the_council_groups_meetings_and_not_the_registry(client):
    group_meeting = MeetingFactory(kind=Kind.COUNCIL_GROUP, title="Gruppmöte inför KF")
    board_meeting = MeetingFactory(kind=Kind.BOARD, title="Budgetberedning")
    client.force_login(commissioner_user())

    listing = client.get(reverse("meetings:index")).content.decode()
    assert "Gruppmöte inför KF" in listing and "Budgetberedning" not in listing
    assert client.get(reverse("meetings:detail", args=[group_meeting.pk])).status_code == 200
    assert client.get(reverse("meetings:detail", args=[board_meeting.pk])).status_code == 403
    assert client.get(reverse("members:detail", args=[MemberFactory().pk])).status_code == 403
    assert client.get(reverse("goals:programme")).status_code == 200
    assert client.get(reverse("meetings:kit")).status_code == 200


def test_a_politician_finds_the_election_programme_in_the_menu(client, client_as):
    client.force_login(commissioner_user())
    programme = f'href="{reverse("goals:programme")}"'

    assert programme in client.get(reverse("overview")).content.decode()
    # The board reaches it under Mål, and the menu does not name it twice.
    board_page = client_as(BoardFunction.SECRETARY).get(reverse("overview")).content.decode()
    assert programme not in board_page
    assert f'href="{reverse("goals:index")}"' in board_page


def _held_with_decision(kind: str, title: str, decision: str):
    """A meeting held yesterday whose minutes have one § with this decision."""
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = MeetingFactory(
        kind=kind, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    meeting_services.minutes_paragraphs_save(
        actor=None,
        meeting=meeting,
        paragraphs=[meeting_services.ParagraphInput("Skolfrågan", "", decision)],
    )
    return meeting


def test_a_politician_searches_the_council_groups_decisions_and_not_the_boards(client):
    group = _held_with_decision(Kind.COUNCIL_GROUP, "Gruppmöte inför KF", "Att yrka bifall.")
    _held_with_decision(Kind.BOARD, "Budgetberedning", "Att anta budgeten.")
    client.force_login(commissioner_user())

    listing = client.get(reverse("meetings:index")).content.decode()
    assert f'href="{reverse("meetings:decisions")}"' in listing
    page = client.get(reverse("meetings:decisions"), {"q": "att"}).content.decode()

    assert "Att yrka bifall." in page and "Att anta budgeten." not in page
    # The minutes are the board's: the row opens the meeting's page instead.
    assert reverse("meetings:detail", args=[group.pk]) in page
    assert reverse("meetings:minutes", args=[group.pk]) not in page
    assert client.get(reverse("meetings:minutes", args=[group.pk])).status_code == 403


def test_a_member_without_assignment_or_board_function_cannot_search_decisions(client):
    _held_with_decision(Kind.CHAPTER, "Kretsmöte", "Att bjuda in till valstugan.")
    user = UserFactory()
    MemberFactory(user=user, email=user.email)
    client.force_login(user)

    assert client.get(reverse("meetings:decisions")).status_code == 403


def test_a_politician_without_two_factor_is_sent_to_set_it_up(client):
    client.force_login(commissioner_user(two_factor=False))
    response = client.get(reverse("meetings:index"))
    assert response.status_code == 302 and response["Location"] == reverse("account")


def test_the_chair_gives_a_politician_an_account_without_a_board_function(
    client_as, eager_celery, django_capture_on_commit_callbacks
):
    seat = BodyAssignmentFactory(member=MemberFactory(email="nils@example.org"))
    client = client_as(BoardFunction.CHAIR)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:politician_invite", args=[seat.member_id]))

    assert response.status_code == 302
    member = Member.objects.get(pk=seat.member_id)
    assert member.user is not None and not member.board_assignments.exists()
    [message] = mail.outbox
    assert message.to == ["nils@example.org"]
    # The politicians' own text: what the account is for and the seat it rests on, not the
    # board's invitation.
    assert "för ditt politiska uppdrag" in message.body
    assert f"Ledamot, {seat.body.name}" in message.body
    assert "portal för kretsstyrelsen" not in message.body


def test_nobody_without_a_political_assignment_gets_a_politicians_account():
    chair = UserFactory()
    with pytest.raises(member_services.Invalid):
        member_services.politician_account_invite(actor=chair, member=MemberFactory())


def test_the_commissioner_and_group_leader_can_be_panellists_and_field_participants():
    from campaigns.forms import FieldActivityForm, LivePanelForm

    commissioner = Member.objects.get(user=commissioner_user())
    leader = MemberFactory()
    PartyPosition.objects.create(
        member=leader, kind=PartyPosition.Kind.GROUP_LEADER, starts_on=datetime.date(2020, 1, 1)
    )
    bystander = MemberFactory()

    panellists = LivePanelForm().fields["panellists"].queryset
    people = FieldActivityForm().fields["people"].queryset
    for choices in (panellists, people):
        assert {commissioner, leader} <= set(choices) and bystander not in choices
