"""The decision group put together by the rule, votes that only its members cast, and the
conference kit that is never booked twice."""

import datetime
import os
import subprocess
import sys
import textwrap
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from meetings import services
from meetings.models import GroupSeat, Kit, KitBooking, Matter, Vote
from meetings.services import local
from members.models import BoardFunction, Member, PoliticalBody
from tests.factories import MemberFactory
from tests.fixtures.celery_worker import database_url
from tests.fixtures.meetings import MeetingFactory, matter_with_group

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 9, 1)


def seats_of(matter) -> dict[str, list[str]]:
    return {s.member.full_name: s.roles for s in matter.seats.select_related("member")}


def raise_matter(body_name: str) -> Matter:
    return services.matter_raise(
        actor=None,
        title="Ärende",
        body=PoliticalBody.objects.get(name=body_name),
        proposals=["Förslag A", "Förslag B"],
        day=DAY,
    )


def test_group_is_the_body_member_chair_group_leader_and_commissioner(demo):
    matter = raise_matter("Kunskapsnämnden")
    assert seats_of(matter) == {
        "Helena Granlund": [GroupSeat.Role.BODY_MEMBER],
        "Eva Lindqvist": [GroupSeat.Role.CHAIR],
        "Maria Lönn": [GroupSeat.Role.GROUP_LEADER],
        "Annika Sundström": [GroupSeat.Role.COMMISSIONER],
    }
    spokespeople = {s.member.full_name for s in matter.seats.all() if s.speaks_to_media}
    assert spokespeople == {"Helena Granlund", "Annika Sundström"}


def test_one_person_holding_two_roles_has_one_seat(demo):
    matter = raise_matter("Kommunstyrelsen")  # the kommunalråd is also its ordinary member
    assert seats_of(matter)["Annika Sundström"] == [
        GroupSeat.Role.BODY_MEMBER,
        GroupSeat.Role.COMMISSIONER,
    ]
    assert matter.seats.count() == 3


def test_a_substitute_is_not_the_bodys_representative(demo):
    matter = raise_matter("Kultur- och fritidsnämnden")  # only an ersättare there
    assert "Jonas Ek" not in seats_of(matter)
    assert matter.seats.count() == 3


def test_two_against_two_the_commissioner_decides_and_the_minutes_say_how(demo):
    matter = raise_matter("Kunskapsnämnden")
    a, b = matter.proposals.all()
    for name, proposal in [("Helena", a), ("Eva", a), ("Maria", b), ("Annika", b)]:
        member = Member.objects.get(first_name=name)
        services.vote_cast(actor=None, matter=matter, member=member, proposal=proposal)

    matter = services.matter_close(actor=None, matter=matter)

    assert matter.outcome == b
    assert "kommunalrådets utslagsröst avgjorde" in matter.outcome_text
    assert "Helena Granlund (Ordinarie ledamot i organet): Förslag A" in matter.outcome_text
    assert "Beslut: Förslag B" in matter.outcome_text
    with pytest.raises(services.MeetingError):
        services.vote_cast(
            actor=None, matter=matter, member=Member.objects.get(first_name="Eva"), proposal=a
        )


def test_minutes_record_absence_and_abstention(demo):
    matter = raise_matter("Kunskapsnämnden")
    a, _b = matter.proposals.all()
    services.vote_cast(
        actor=None, matter=matter, member=Member.objects.get(first_name="Helena"), proposal=a
    )
    services.vote_cast(
        actor=None, matter=matter, member=Member.objects.get(first_name="Eva"), proposal=a
    )
    services.vote_cast(
        actor=None, matter=matter, member=Member.objects.get(first_name="Maria"), proposal=None
    )
    matter = services.matter_close(actor=None, matter=matter)
    assert matter.outcome == a
    assert "Maria Lönn (Gruppledare): avstod" in matter.outcome_text
    assert "Annika Sundström (Kommunalråd): frånvarande, röstade inte" in matter.outcome_text


def test_only_the_matters_group_votes(client_as, client):
    member = MemberFactory()
    # A board member outside the group may read the matter but not vote.
    outsider_client = client_as(BoardFunction.CAMPAIGN)
    matter = matter_with_group([member])
    proposal = matter.proposals.first()
    url = reverse("meetings:matter_vote", kwargs={"pk": matter.pk})
    assert (
        outsider_client.get(reverse("meetings:matter", kwargs={"pk": matter.pk})).status_code == 200
    )
    assert outsider_client.post(url, {"forslag": proposal.pk}).status_code == 403
    assert not Vote.objects.exists()
    with pytest.raises(services.MeetingError):
        services.vote_cast(actor=None, matter=matter, member=MemberFactory(), proposal=proposal)


def test_a_group_member_votes_through_the_page(client, person):
    user = person("uppdrag")
    matter = matter_with_group([user.member, MemberFactory(), MemberFactory()])
    proposal = matter.proposals.first()
    client.force_login(user)
    page = client.get(reverse("meetings:matter", kwargs={"pk": matter.pk}))
    assert "Din röst" in page.content.decode()
    client.post(reverse("meetings:matter_vote", kwargs={"pk": matter.pk}), {"forslag": proposal.pk})
    assert Vote.objects.get().proposal == proposal


# The conference kit


def book(member, start_hour: int, end_hour: int, day=datetime.date(2030, 1, 10)):
    return services.kit_book(
        actor=None,
        member=member,
        starts_at=local(day, datetime.time(start_hour)),
        ends_at=local(day, datetime.time(end_hour)),
    )


def test_overlapping_booking_is_refused_and_adjacent_is_allowed():
    member = MemberFactory()
    book(member, 18, 20)
    with pytest.raises(services.KitUnavailable):
        book(member, 19, 21)
    with pytest.raises(services.KitUnavailable):
        book(member, 17, 22)
    book(member, 20, 21)  # [18, 20) and [20, 21) touch but do not overlap
    assert KitBooking.objects.count() == 2


def test_the_database_itself_refuses_an_overlap():
    if connection.vendor != "postgresql":
        pytest.skip("the exclusion constraint exists on PostgreSQL only")
    member = MemberFactory()
    kit = Kit.objects.default()
    KitBooking.objects.create(
        kit=kit,
        booked_by=member,
        starts_at=local(DAY, datetime.time(18)),
        ends_at=local(DAY, datetime.time(20)),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        KitBooking.objects.create(
            kit=kit,
            booked_by=member,
            starts_at=local(DAY, datetime.time(19)),
            ends_at=local(DAY, datetime.time(21)),
        )


CHILD = textwrap.dedent(
    """
    import datetime, sys, time
    import django
    django.setup()
    from django.db import transaction
    from meetings import services
    from meetings.services import local
    from members.models import Member

    member = Member.objects.get(pk=int(sys.argv[1]))
    start_at = float(sys.argv[2])
    time.sleep(max(0, start_at - time.time()))
    day = datetime.date(2030, 2, 1)
    try:
        with transaction.atomic():
            services.kit_book(actor=None, member=member, starts_at=local(day, datetime.time(18)),
                              ends_at=local(day, datetime.time(int(sys.argv[3]))))
            time.sleep(1)  # hold the transaction open so that the other request overlaps it
    except services.KitUnavailable:
        print("lost")
    else:
        print("won")
    """
)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_bookings_from_two_processes_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested against PostgreSQL (CI); SQLite serialises writers")
    member = MemberFactory()
    Kit.objects.default()  # committed before the race: the children must not both create it
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "krets.settings",
    }
    start_at = str(time.time() + 3)
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(member.pk), start_at, str(end)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for end in (20, 21)
    ]
    results = []
    try:
        for child in children:
            out, err = child.communicate(timeout=90)
            assert child.returncode == 0, err
            results.append(out.strip())
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    assert sorted(results) == ["lost", "won"]
    assert KitBooking.objects.count() == 1


def test_kit_page_books_for_a_meeting_and_shows_a_clash(client_as):
    client = client_as("uppdrag")
    meeting = MeetingFactory(video_url="https://meet.example.org/x")
    page = client.get(reverse("meetings:kit") + f"?mote={meeting.pk}").content.decode()
    assert meeting.title in page
    data = {
        "starts_at": "2030-03-01T18:00",
        "ends_at": "2030-03-01T20:00",
        "meeting": meeting.pk,
    }
    client.post(reverse("meetings:kit"), data)
    assert KitBooking.objects.get().meeting == meeting
    response = client.post(reverse("meetings:kit"), {**data, "meeting": ""})
    assert "Utrustningen är redan bokad då." in response.content.decode()


def test_the_booker_cancels_their_own_booking_but_not_anothers(client, person):
    user = person("uppdrag")
    own = book(user.member, 18, 20)
    other = book(MemberFactory(), 20, 22)
    client.force_login(user)
    assert client.post(reverse("meetings:kit_cancel", kwargs={"pk": other.pk})).status_code == 403
    client.post(reverse("meetings:kit_cancel", kwargs={"pk": own.pk}))
    assert list(KitBooking.objects.all()) == [other]
