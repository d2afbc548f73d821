"""The election programme links a decision or a matter chosen from a list (goals/linkables.py,
registered by meetings/goals_links.py), showing each person only what they may see; pasted
links keep working."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goals import selectors, services
from goals.models import ProgrammeLink
from krets.errors import Invalid
from krets.rights import Rights
from meetings import services as meeting_services
from meetings.models import GroupSeat, Kind, Matter, MinutesDecision, MinutesParagraph
from members.models import BoardFunction, PartyPosition, User
from tests.factories import MemberFactory, PoliticalBodyFactory, UserFactory, add_totp

from .fixtures.goals import ProgrammePointFactory, ThemeDocumentFactory, ThemeGroupFactory
from .fixtures.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def decided(kind: str, title: str, decision: str):
    """A meeting held an hour ago whose minutes have one § with this decision."""
    start = timezone.now() - datetime.timedelta(hours=2)
    meeting = MeetingFactory(
        kind=kind, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    meeting_services.minutes_paragraphs_save(
        actor=None,
        meeting=meeting,
        paragraphs=[meeting_services.ParagraphInput("Beslut", "", decision)],
    )
    return meeting.paragraphs.get()


@pytest.fixture
def records():
    """A board decision, a council-group decision, an older decision of a board meeting
    (no §), and two matters: one with the politician's seat, one without."""
    politician = MemberFactory(user=UserFactory())
    board = decided(Kind.BOARD, "Styrelsemöte mars", "Att anta budgeten för skolan.")
    group = decided(Kind.COUNCIL_GROUP, "Gruppmöte inför KF", "Att yrka bifall om skolan.")
    older = MinutesDecision.objects.create(
        meeting=MeetingFactory(kind=Kind.BOARD, title="Styrelsemöte 2021"),
        text="Att skolan ska prioriteras.",
    )
    theirs = Matter.objects.create(title="Skolans lokaler", body=PoliticalBodyFactory())
    seat = [GroupSeat.Role.BODY_MEMBER]
    GroupSeat.objects.create(matter=theirs, member=politician, roles=seat)
    others = Matter.objects.create(title="Skolskjutsar", body=PoliticalBodyFactory())
    GroupSeat.objects.create(
        matter=others, member=MemberFactory(), roles=[GroupSeat.Role.BODY_MEMBER]
    )
    return {
        "politician": politician,
        "board": board,
        "group": group,
        "older": older,
        "theirs": theirs,
        "others": others,
    }


def chosen(rights: Rights, words: str = "") -> dict[str, set[int]]:
    return {
        linkable.key: {row.id for row in rows}
        for linkable, rows in selectors.programme_choices(rights, words)
    }


def test_the_picker_lists_only_what_the_person_may_see(records):
    politician = Rights(has_party_position=True, member_id=records["politician"].pk)
    chair = Rights(functions=frozenset({BoardFunction.CHAIR}), member_id=MemberFactory().pk)

    # The kommunalråd: the council group's decisions and the matters whose group they sit in.
    assert chosen(politician, "skolan") == {
        "meetings.decision": {records["group"].pk},
        "meetings.older_decision": set(),
        "meetings.matter": {records["theirs"].pk},
    }
    assert chosen(chair, "skol") == {
        "meetings.decision": {records["board"].pk, records["group"].pk},
        "meetings.older_decision": {records["older"].pk},
        "meetings.matter": {records["theirs"].pk, records["others"].pk},
    }
    # Nobody's rights: nothing at all.
    assert chosen(Rights()) == {
        "meetings.decision": set(),
        "meetings.older_decision": set(),
        "meetings.matter": set(),
    }


def test_the_chair_links_a_decision_from_the_list_and_the_link_lands_on_it(records, client_as):
    point = ProgrammePointFactory(title="Bättre skolor")
    client = client_as(BoardFunction.CHAIR)
    edit = reverse("goals:point_edit", args=[point.pk])

    page = client.get(edit, {"sok": "budgeten"}).content.decode()
    assert page.count('data-testid="choice-meetings.decision"') == 1
    assert "Att anta budgeten för skolan." in page

    response = client.post(edit, {"kalla": "meetings.decision", "post": records["board"].pk})
    assert response.status_code == 302
    link = ProgrammeLink.objects.get(point=point)
    assert (link.kind, link.source, link.target_id) == (
        ProgrammeLink.Kind.DECISION,
        "meetings.decision",
        records["board"].pk,
    )
    assert "Styrelsemöte mars § 1: Att anta budgeten för skolan." == link.title

    programme = client.get(reverse("goals:programme")).content.decode()
    href = f"/moten/beslut/?mote={records['board'].meeting_id}#beslut-{records['board'].pk}"
    assert f'<a href="{href}">{link.title}</a>' in programme
    landing = client.get(href.split("#")[0]).content.decode()
    assert f'id="beslut-{records["board"].pk}"' in landing

    # The same again is refused with a message, not a second link.
    client.post(edit, {"kalla": "meetings.decision", "post": records["board"].pk})
    assert ProgrammeLink.objects.filter(point=point).count() == 1


def test_a_record_the_person_may_not_see_or_that_does_not_exist_cannot_be_linked(records):
    point = ProgrammePointFactory()
    politician = Rights(has_party_position=True, member_id=records["politician"].pk)
    user = records["politician"].user

    for source, target in [
        ("meetings.decision", records["board"].pk),  # a board meeting's decision
        ("meetings.matter", records["others"].pk),  # a matter without their seat
        ("meetings.decision", 999_999),
        ("nonsense.kind", records["group"].pk),
    ]:
        with pytest.raises(Invalid):
            services.programme_link_pick(
                actor=user, rights=politician, point=point, source=source, target_id=target
            )
    assert not point.links.exists()


def test_forged_picks_get_a_message_not_an_error(records, client_as):
    point = ProgrammePointFactory()
    client = client_as(BoardFunction.CHAIR)
    edit = reverse("goals:point_edit", args=[point.pk])

    for post in ["abc", "99999999999999999999", "", "-3"]:
        response = client.post(edit, {"kalla": "meetings.decision", "post": post}, follow=True)
        assert response.status_code == 200
    assert not point.links.exists()


def test_the_programme_shows_each_viewer_only_the_links_they_may_open(records, client):
    point = ProgrammePointFactory()
    for source, target, kind, title in [
        ("meetings.decision", records["board"].pk, "beslut", "Budgetbeslutet"),
        ("meetings.decision", records["group"].pk, "beslut", "Gruppbeslutet"),
        ("meetings.matter", records["theirs"].pk, "arende", "Lokalärendet"),
        ("meetings.matter", records["others"].pk, "arende", "Skjutsärendet"),
    ]:
        ProgrammeLink.objects.create(
            point=point, kind=kind, title=title, source=source, target_id=target
        )
    # A link pasted before links could be chosen keeps working as it was.
    ProgrammeLink.objects.create(
        point=point, kind="annat", title="Debattartikeln", url="https://example.org/debatt"
    )
    PartyPosition.objects.create(
        member=records["politician"],
        kind=PartyPosition.Kind.COMMISSIONER,
        starts_on=datetime.date(2020, 1, 1),
    )
    add_totp(records["politician"].user)
    client.force_login(records["politician"].user)

    page = client.get(reverse("goals:programme")).content.decode()

    matter_url = reverse("meetings:matter", kwargs={"pk": records["theirs"].pk})
    assert f'<a href="{matter_url}">Lokalärendet</a>' in page
    # The council group's decision opens on the decisions page, where politicians may look.
    group_url = (
        f"{reverse('meetings:decisions')}?mote={records['group'].meeting_id}"
        f"#beslut-{records['group'].pk}"
    )
    assert f'<a href="{group_url}">Gruppbeslutet</a>' in page
    assert client.get(group_url.split("#")[0]).status_code == 200
    # Not theirs to open (a board meeting's decision): the title without a link.
    assert "Budgetbeslutet" in page and f"beslut-{records['board'].pk}" not in page
    assert "Skjutsärendet" in page
    assert reverse("meetings:matter", kwargs={"pk": records["others"].pk}) not in page
    assert (
        '<a href="https://example.org/debatt" rel="noopener noreferrer">Debattartikeln</a>' in page
    )


def test_a_politician_is_not_sent_to_theme_group_pages_they_may_not_open(records, client):
    point = ProgrammePointFactory()
    theirs = ThemeDocumentFactory(group=ThemeGroupFactory(leader=records["politician"]))
    others = ThemeDocumentFactory(group=ThemeGroupFactory())
    for document, title in [(theirs, "Vårt dokument"), (others, "Andras dokument")]:
        ProgrammeLink.objects.create(point=point, kind="dokument", title=title, document=document)
    politician = MemberFactory(user=UserFactory())
    PartyPosition.objects.create(
        member=politician, kind=PartyPosition.Kind.GROUP_LEADER, starts_on=datetime.date(2020, 1, 1)
    )
    add_totp(politician.user)
    client.force_login(politician.user)

    page = client.get(reverse("goals:programme")).content.decode()

    assert "Andras dokument" in page and "Vårt dokument" in page
    assert reverse("goals:document_detail", args=[others.pk]) not in page
    assert reverse("goals:document_detail", args=[theirs.pk]) not in page
    assert reverse("goals:groups") not in page
    assert client.get(reverse("goals:document_detail", args=[others.pk])).status_code == 403

    # A group's leader opens their own group's document, and the board every one.
    PartyPosition.objects.create(
        member=records["politician"],
        kind=PartyPosition.Kind.COMMISSIONER,
        starts_on=datetime.date(2020, 1, 1),
    )
    add_totp(records["politician"].user)
    client.force_login(records["politician"].user)
    page = client.get(reverse("goals:programme")).content.decode()
    assert reverse("goals:document_detail", args=[theirs.pk]) in page
    assert reverse("goals:document_detail", args=[others.pk]) not in page
    assert reverse("goals:groups") in page


def test_the_demo_programme_links_the_school_transport_matter(client, settings):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # safe to run again: still one link
    settings.KRETS_REQUIRE_MFA = False
    matter = Matter.objects.get(title="Skolskjuts på landsbygden")
    assert ProgrammeLink.objects.filter(source="meetings.matter", target_id=matter.pk).count() == 1
    client.force_login(User.objects.get(email="kommunalrad@example.org"))

    page = client.get(reverse("goals:programme")).content.decode()

    matter_url = reverse("meetings:matter", kwargs={"pk": matter.pk})
    assert f'<a href="{matter_url}">Skolskjuts på landsbygden</a>' in page
    # A council-group decision chosen from the list, in minutes both justerare adjusted; the
    # kommunalråd opens it on the decisions page.
    (link,) = ProgrammeLink.objects.filter(source="meetings.decision")
    decision = MinutesParagraph.objects.get(pk=link.target_id)
    assert decision.meeting.kind == Kind.COUNCIL_GROUP and decision.meeting.minutes_locked
    assert decision.meeting.adjusters.filter(adjusted_at__isnull=False).count() == 2
    href = f"{reverse('meetings:decisions')}?mote={decision.meeting_id}#beslut-{decision.pk}"
    assert f'<a href="{href}">' in page
    decisions = client.get(href.split("#")[0]).content.decode()
    assert f'id="beslut-{decision.pk}"' in decisions and "40 lägenheter för unga" in decisions


def test_the_programme_page_asks_once_per_source_however_many_links(records, client_as):
    client = client_as(BoardFunction.CHAIR)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("goals:programme")).status_code == 200
        return len(captured)

    point = ProgrammePointFactory()
    for source, target in [
        ("meetings.decision", records["board"].pk),
        ("meetings.matter", records["theirs"].pk),
    ]:
        ProgrammeLink.objects.create(
            point=point, kind="beslut", title="En", source=source, target_id=target
        )
    few = queries()
    for _ in range(5):
        other = ProgrammePointFactory()
        for source, target in [
            ("meetings.decision", records["group"].pk),
            ("meetings.matter", records["others"].pk),
        ]:
            ProgrammeLink.objects.create(
                point=other, kind="beslut", title="Fler", source=source, target_id=target
            )

    assert queries() == few
