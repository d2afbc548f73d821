"""Meetings, the year's planning, council-group meetings, minutes, visibility and goals."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from goals.registry import counter
from meetings import services
from meetings.demo import CHAPTER_DATES_2023
from meetings.models import Kind, Meeting
from meetings.selectors import meetings_visible_to, year_spread
from meetings.services import local
from members.models import BoardFunction
from members.selectors import rights_for_user
from tests.factories import DistrictFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_demo_has_the_plans_eleven_chapter_meetings_each_with_a_board_meeting(demo):
    call_command("load_demo", verbosity=0)  # idempotent: loaded again over the demo

    chapter = Meeting.objects.filter(kind=Kind.CHAPTER, starts_at__year=2023)
    days = sorted(m.starts_at.astimezone(services.STOCKHOLM).date() for m in chapter)
    assert days == [day for day, _ in CHAPTER_DATES_2023]
    assert {m.status for m in chapter} == {Meeting.Status.DECIDED}
    board_days = {
        m.starts_at.astimezone(services.STOCKHOLM).date()
        for m in Meeting.objects.filter(kind=Kind.BOARD, starts_at__year=2023)
    }
    assert board_days == set(days)
    spread = {row["district"].name: row["total"] for row in year_spread(2023)}
    assert sum(spread.values()) == 11
    assert all(total >= 1 for total in spread.values())  # every district gets a meeting


def test_board_proposes_then_decides_the_years_dates_through_the_year_view(client_as):
    DistrictFactory(name="Storvik")
    DistrictFactory(name="Järbo")
    client = client_as(BoardFunction.SECRETARY)
    url = reverse("meetings:plan", kwargs={"year": 2024})

    client.post(url, {"dates": "2024-03-06 Storvik\n2024-04-10 järbo\n"})

    proposed = Meeting.objects.filter(starts_at__year=2024)
    assert sorted(proposed.values_list("kind", flat=True)) == [Kind.CHAPTER] * 2 + [Kind.BOARD] * 2
    assert {m.status for m in proposed} == {Meeting.Status.PROPOSED}
    page = client.get(url).content.decode()
    assert "Styrelsen beslutar de 2 föreslagna datumen" in page

    client.post(reverse("meetings:plan_decide", kwargs={"year": 2024}))
    assert {m.status for m in Meeting.objects.filter(starts_at__year=2024)} == {
        Meeting.Status.DECIDED
    }


def test_year_plan_refuses_a_date_outside_the_year(client_as):
    DistrictFactory(name="Storvik")
    client = client_as(BoardFunction.SECRETARY)
    response = client.post(
        reverse("meetings:plan", kwargs={"year": 2024}), {"dates": "2025-01-01 Storvik"}
    )
    assert "ligger inte i 2024" in response.content.decode()
    assert not Meeting.objects.exists()


def test_local_times_keep_the_wall_clock_across_dst():
    winter = local(datetime.date(2023, 3, 22), datetime.time(18, 30))
    summer = local(datetime.date(2023, 3, 29), datetime.time(18, 30))
    assert winter.utcoffset() == datetime.timedelta(hours=1)
    assert summer.utcoffset() == datetime.timedelta(hours=2)


def test_council_meeting_proposes_a_group_meeting_n_days_before(client_as, settings):
    settings.KRETS_COUNCIL_GROUP_DAYS_BEFORE = 5
    client = client_as(BoardFunction.CHAIR)
    client.post(
        reverse("meetings:council"),
        {"starts": "2030-04-24 13:00\n2030-06-19 13:00", "days_before": 7},
    )
    group = Meeting.objects.filter(kind=Kind.COUNCIL_GROUP).order_by("starts_at")
    assert [m.starts_at.astimezone(services.STOCKHOLM).date() for m in group] == [
        datetime.date(2030, 4, 17),
        datetime.date(2030, 6, 12),
    ]
    assert {m.status for m in group} == {Meeting.Status.PROPOSED}
    # The setting is the default when none is given; entering the same meeting twice adds none.
    council = services.council_meeting_add(
        actor=None, starts_at=local(datetime.date(2023, 9, 25), datetime.time(13))
    )
    assert council.group_meeting.starts_at.date() == datetime.date(2023, 9, 20)
    services.council_meeting_add(
        actor=None, starts_at=local(datetime.date(2023, 9, 25), datetime.time(13))
    )
    assert Meeting.objects.filter(kind=Kind.COUNCIL_GROUP).count() == 3


def test_secretary_creates_a_digital_meeting_and_is_offered_the_kit(client_as):
    client = client_as(BoardFunction.SECRETARY)
    response = client.post(
        reverse("meetings:create"),
        {
            "kind": Kind.SEMINAR,
            "title": "Seminarium om vindkraft",
            "starts_at": "2030-05-06T18:00",
            "ends_at": "2030-05-06T20:00",
            "video_url": "https://meet.example.org/vind",
            "status": Meeting.Status.DECIDED,
            "agenda": "Inledning\nPanel\n",
        },
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert meeting.starts_at == local(datetime.date(2030, 5, 6), datetime.time(18))
    assert list(meeting.agenda_items.values_list("title", flat=True)) == ["Inledning", "Panel"]
    page = response.content.decode()
    assert "vill du boka konferensutrustningen?" in page
    assert f"{reverse('meetings:kit')}?mote={meeting.pk}" in page


def test_meeting_needs_a_place_or_a_video_link(client_as):
    client = client_as(BoardFunction.SECRETARY)
    response = client.post(
        reverse("meetings:create"),
        {
            "kind": Kind.CHAPTER,
            "title": "X",
            "starts_at": "2030-05-06T18:00",
            "ends_at": "2030-05-06T20:00",
            "status": "beslutad",
        },
    )
    assert "Ange en plats" in response.content.decode()
    assert not Meeting.objects.exists()


def test_secretary_may_not_create_a_training(client_as):
    client = client_as(BoardFunction.SECRETARY)
    response = client.post(reverse("meetings:create"), {"kind": Kind.POLITICIANS_SCHOOL})
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_adjusted_minutes_are_locked(client_as):
    """Locking itself (two justerare) is in test_meetings_justering; here: nothing changes after."""
    meeting = MeetingFactory(starts_at=timezone.now() - datetime.timedelta(hours=2))
    services.minutes_paragraphs_save(
        actor=None,
        meeting=meeting,
        paragraphs=[services.ParagraphInput("Mötets öppnande", "", "Att anta dagordningen")],
    )
    Meeting.objects.filter(pk=meeting.pk).update(minutes_approved_at=timezone.now())
    client = client_as(BoardFunction.SECRETARY)
    url = reverse("meetings:minutes", kwargs={"pk": meeting.pk})

    response = client.post(
        url, {"p-TOTAL_FORMS": "1", "p-INITIAL_FORMS": "0", "p-0-title": "Ändrat"}
    )

    assert response.status_code == 403
    assert list(meeting.paragraphs.values_list("decision", flat=True)) == ["Att anta dagordningen"]
    with pytest.raises(services.MeetingError):
        services.minutes_write(actor=None, meeting=meeting, text="x", decisions=[])
    assert "Protokollet är låst" in client.get(url).content.decode()


def test_board_member_reads_minutes_but_cannot_write_them(client_as):
    meeting = MeetingFactory()
    client = client_as(BoardFunction.CAMPAIGN)
    response = client.post(reverse("meetings:minutes", kwargs={"pk": meeting.pk}), {"text": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "role, sees",
    [
        ("medlem", {"Kretsmöte", "Inbjuden utbildning"}),
        ("uppdrag", {"Kretsmöte"}),
        (
            BoardFunction.BOARD_MEMBER,
            {"Kretsmöte", "Styrelsemöte", "Inbjuden utbildning", "Föreslaget kretsmöte"},
        ),
    ],
)
def test_each_person_sees_open_meetings_and_their_own(person, role, sees):
    user = person(role)
    MeetingFactory(title="Kretsmöte")
    MeetingFactory(title="Föreslaget kretsmöte", status=Meeting.Status.PROPOSED)
    MeetingFactory(title="Styrelsemöte", kind=Kind.BOARD)
    school = MeetingFactory(title="Inbjuden utbildning", kind=Kind.TRAINING)
    if role == "medlem":
        InvitationFactory(meeting=school, member=user.member)
    titles = set(meetings_visible_to(rights_for_user(user)).values_list("title", flat=True))
    assert titles == sees


def test_list_and_month_views_show_meetings_with_a_fixed_number_of_queries(
    client_as, django_assert_max_num_queries
):
    client = client_as(BoardFunction.SECRETARY)
    for _ in range(20):
        MeetingFactory()
    with django_assert_max_num_queries(15):
        page = client.get(reverse("meetings:index")).content.decode()
    assert page.count("/moten/") >= 20
    day = MeetingFactory(title="Månadens möte").starts_at
    with django_assert_max_num_queries(15):
        month = client.get(reverse("meetings:month", kwargs={"year": day.year, "month": day.month}))
    assert "Månadens möte" in month.content.decode()


def test_goal_counters_count_held_meetings_only():
    def at(day):
        return {
            "starts_at": local(day, datetime.time(10)),
            "ends_at": local(day, datetime.time(15)),
        }

    school = MeetingFactory(kind=Kind.POLITICIANS_SCHOOL, **at(datetime.date(2023, 10, 21)))
    MeetingFactory(kind=Kind.TRAINING, **at(datetime.date(2023, 4, 22)))
    for attended in (True, True, False, None):
        InvitationFactory(meeting=school, attended=attended)
    MeetingFactory(
        kind=Kind.TRAINING, status=Meeting.Status.CANCELLED, **at(datetime.date(2023, 5, 1))
    )
    MeetingFactory(
        kind=Kind.TRAINING, status=Meeting.Status.PROPOSED, **at(datetime.date(2023, 5, 2))
    )
    MeetingFactory(kind=Kind.CHAPTER, **at(datetime.date(2023, 12, 6)))
    MeetingFactory(
        kind=Kind.CHAPTER, district=DistrictFactory(name="Järbo"), **at(datetime.date(2023, 3, 8))
    )
    year = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))

    with time_machine.travel(datetime.datetime(2023, 12, 6, 12, 0, tzinfo=services.STOCKHOLM)):
        # The chapter meeting of 6 December has not ended yet.
        assert counter("meetings.chapter_meetings_held").count(*year) == 1
        assert counter("meetings.trainings_held").count(*year) == 2
        assert counter("meetings.training_participants").count(*year) == 2
        assert counter("meetings.politikerskola_held").count(*year) == 1
    with time_machine.travel(datetime.datetime(2024, 1, 1, tzinfo=services.STOCKHOLM)):
        assert counter("meetings.chapter_meetings_held").count(*year) == 2
        assert counter("meetings.chapter_meetings_held").by_district(*year) == {
            "Järbo": 1,
            "Storvik": 1,
        }
        assert (
            counter("meetings.politikerskola_held").count(
                datetime.date(2023, 1, 1), datetime.date(2023, 6, 30)
            )
            == 0
        )


def test_location_names_the_district_once():
    storvik = DistrictFactory(name="Storvik")
    assert (
        MeetingFactory(address="Bygdegården", district=storvik).location == "Bygdegården, Storvik"
    )
    assert MeetingFactory(address="Folkets hus, Storvik", district=storvik).location == (
        "Folkets hus, Storvik"
    )
    assert MeetingFactory(address="", district=None, video_url="https://x.example").location == ""


def test_cancelling_a_meeting_says_so_and_raises_its_sequence(client_as):
    meeting = MeetingFactory()
    secretary = client_as(BoardFunction.SECRETARY)
    response = secretary.post(
        reverse("meetings:status", kwargs={"pk": meeting.pk}),
        {"status": "installd", "confirm": "1"},
        follow=True,
    )
    assert "Mötet är inställt." in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (Meeting.Status.CANCELLED, 1)
