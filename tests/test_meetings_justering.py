"""Minutes by §, two justerare who adjust through the link in their mail, the protocol PDF
that names them, the decisions page, and attendance as it happens (walk-ins)."""

import datetime
import re
import shutil
import subprocess

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from krets.celery import app
from meetings import selectors, services
from meetings.models import Adjuster, Kind, Meeting, MinutesDecision, WalkIn
from members.models import BoardFunction, Member
from tests.factories import DistrictFactory, MemberFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory, in_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def paragraphs(*rows):
    return [services.ParagraphInput(*row) for row in rows]


def started_meeting(**kwargs) -> Meeting:
    """A meeting that began an hour ago."""
    start = timezone.now() - datetime.timedelta(hours=1)
    return MeetingFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs)


def with_two_present(meeting: Meeting):
    """Two invited members, ticked as present; returns them."""
    one = InvitationFactory(meeting=meeting, member=MemberFactory(first_name="Anna"))
    two = InvitationFactory(meeting=meeting, member=MemberFactory(first_name="Bertil"))
    services.attendance_record(actor=None, meeting=meeting, attended_ids={one.pk, two.pk})
    return one.member, two.member


def ready_for_justering(meeting: Meeting):
    first, second = with_two_present(meeting)
    services.minutes_paragraphs_save(
        actor=None,
        meeting=meeting,
        paragraphs=paragraphs(("Mötets öppnande", "", "Mötet öppnades."), ("Lokalen", "", "Hyr")),
    )
    services.adjusters_choose(actor=None, meeting=meeting, members=[first, second])
    return first, second


def links_in(outbox) -> dict[str, str]:
    """Recipient → the justering link in their mail."""
    return {
        message.to[0]: re.search(r"https?://\S+/justera/\S+/", message.body).group(0)
        for message in outbox
    }


def test_the_minutes_offer_the_opening_items_numbered_by_paragraph(client_as):
    meeting = started_meeting()
    meeting.agenda_items.create(position=0, title="Mötets öppnande")
    meeting.agenda_items.create(position=1, title="Valplanen")
    client = client_as(BoardFunction.SECRETARY)

    page = client.get(reverse("meetings:minutes", kwargs={"pk": meeting.pk})).content.decode()

    titles = re.findall(r'name="p-\d+-title"[^>]*value="([^"]*)"', page) or re.findall(
        r'value="([^"]*)"[^>]*name="p-\d+-title"', page
    )
    assert titles == [
        "Mötets öppnande",
        "Val av mötesordförande",
        "Val av mötessekreterare",
        "Val av två justerare",
        "Godkännande av dagordning",
        "Valplanen",
        "Mötets avslutande",
    ]
    assert "§ 1" in page and "§ 7" in page


def test_secretary_saves_paragraphs_numbered_in_order_and_edited(client_as):
    meeting = started_meeting()
    client = client_as(BoardFunction.SECRETARY)
    data = {
        "p-TOTAL_FORMS": "3",
        "p-INITIAL_FORMS": "0",
        "p-0-title": "Mötets öppnande",
        "p-0-decision": "Ordföranden öppnade mötet.",
        "p-1-title": "Struken punkt",
        "p-1-DELETE": "on",
        "p-2-title": "Budget 2027",
        "p-2-discussion": "Kassören redogjorde.",
        "p-2-decision": "Att anta budgeten.",
    }
    client.post(reverse("meetings:minutes", kwargs={"pk": meeting.pk}), data)

    rows = list(meeting.paragraphs.values_list("number", "title", "decision"))
    assert rows == [
        (1, "Mötets öppnande", "Ordföranden öppnade mötet."),
        (2, "Budget 2027", "Att anta budgeten."),
    ]


def test_minutes_cannot_be_sent_for_justering_before_the_meeting_has_started():
    meeting = MeetingFactory(starts_at=in_days(3))
    services.minutes_paragraphs_save(
        actor=None, meeting=meeting, paragraphs=paragraphs(("Mötets öppnande", "", "x"))
    )
    with pytest.raises(services.MeetingError, match="inte börjat"):
        services.minutes_finish(actor=None, meeting=meeting)
    with pytest.raises(services.MeetingError, match="inte börjat"):
        services.adjusters_choose(
            actor=None, meeting=meeting, members=[MemberFactory(), MemberFactory()]
        )
    meeting.refresh_from_db()
    assert meeting.minutes_finished_at is None and not meeting.minutes_locked


def test_adjusters_must_be_two_members_who_were_present():
    meeting = started_meeting()
    present, _other = with_two_present(meeting)
    with pytest.raises(services.MeetingError, match="två olika"):
        services.adjusters_choose(actor=None, meeting=meeting, members=[present])
    with pytest.raises(services.MeetingError, match="närvarande"):
        services.adjusters_choose(actor=None, meeting=meeting, members=[present, MemberFactory()])
    assert not meeting.adjusters.exists()


def test_one_justerare_does_not_lock_the_minutes(django_capture_on_commit_callbacks):
    meeting = started_meeting()
    first, _second = ready_for_justering(meeting)
    services.minutes_finish(actor=None, meeting=meeting)

    services.minutes_adjust(actor=None, adjuster=Adjuster.objects.get(member=first), approve=True)

    meeting.refresh_from_db()
    assert meeting.minutes_approved_at is None and not meeting.minutes_locked
    # The secretary alone cannot lock them either: there is no such step left.
    assert not hasattr(services, "minutes_approve")


def test_sekreterare_cannot_lock_minutes_without_justerare(client_as):
    meeting = started_meeting()
    services.minutes_paragraphs_save(
        actor=None, meeting=meeting, paragraphs=paragraphs(("Mötets öppnande", "", "x"))
    )
    client = client_as(BoardFunction.SECRETARY)

    response = client.post(
        reverse("meetings:minutes_finish", kwargs={"pk": meeting.pk}), follow=True
    )

    meeting.refresh_from_db()
    assert meeting.minutes_finished_at is None and not meeting.minutes_locked
    assert "Mötet ska ha valt två justerare." in response.content.decode()


def test_both_justerare_through_their_links_lock_the_minutes_and_the_pdf_names_them(
    client, client_as, eager_celery, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    meeting = started_meeting(title="Kretsmöte i Storvik")
    first, second = ready_for_justering(meeting)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_finish(actor=None, meeting=meeting)
    links = links_in(mail.outbox)
    assert set(links) == {first.email, second.email}
    assert all(m.subject == "Justera protokollet: Kretsmöte i Storvik" for m in mail.outbox)

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=5), tick=False):
        page = client.get(links[first.email])
        assert "§ 2 Lokalen" in page.content.decode()
        client.post(links[first.email], {"justera": "1", "comment": ""})
    meeting.refresh_from_db()
    assert not meeting.minutes_locked  # one is not enough
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=9), tick=False):
        client.post(links[second.email], {"justera": "1", "comment": "Bra skrivet."})

    meeting.refresh_from_db()
    assert meeting.minutes_locked
    with pytest.raises(services.MeetingError):
        services.minutes_paragraphs_save(
            actor=None, meeting=meeting, paragraphs=paragraphs(("Ändrat", "", ""))
        )

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    secretary = client_as(BoardFunction.SECRETARY)
    response = secretary.get(reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk}))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for adjuster in meeting.adjusters.select_related("member"):
        stamp = timezone.localtime(adjuster.adjusted_at).strftime("%H:%M")
        assert f"{adjuster.member.full_name}: justerade" in flat
        assert stamp in flat
    assert "§ 1 Mötets öppnande" in flat and "Beslut: Hyr" in flat


def test_a_forged_or_foreign_justering_link_is_refused(client):
    meeting = started_meeting()
    ready_for_justering(meeting)
    response = client.get(
        reverse("meetings:adjust", kwargs={"pk": meeting.pk, "token": "förfalskad"})
    )
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.content.decode()


def test_a_comment_goes_back_to_the_secretary_and_reopening_voids_adjusting():
    meeting = started_meeting()
    first, second = ready_for_justering(meeting)
    services.minutes_finish(actor=None, meeting=meeting)
    services.minutes_adjust(actor=None, adjuster=Adjuster.objects.get(member=first), approve=True)
    services.minutes_adjust(
        actor=None,
        adjuster=Adjuster.objects.get(member=second),
        approve=False,
        comment="§ 2: det var Bertil som föreslog.",
    )
    services.minutes_reopen(actor=None, meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.minutes_finished_at is None and not meeting.minutes_locked
    assert not meeting.adjusters.filter(adjusted_at__isnull=False).exists()
    assert meeting.adjusters.get(member=second).comment.startswith("§ 2")


def test_a_justerare_signed_in_adjusts_from_the_portal(client, person):
    meeting = started_meeting()
    user = person("medlem")
    me = Member.objects.get(user=user)
    mine = InvitationFactory(meeting=meeting, member=me)
    other = InvitationFactory(meeting=meeting)
    services.attendance_record(actor=None, meeting=meeting, attended_ids={mine.pk, other.pk})
    services.minutes_paragraphs_save(
        actor=None, meeting=meeting, paragraphs=paragraphs(("Mötets öppnande", "", "x"))
    )
    services.adjusters_choose(actor=None, meeting=meeting, members=[me, other.member])
    services.minutes_finish(actor=None, meeting=meeting)
    client.force_login(user)

    client.post(reverse("meetings:adjust_signed_in", kwargs={"pk": meeting.pk}), {"justera": "1"})

    assert Adjuster.objects.get(member=me).adjusted_at is not None
    elsewhere = started_meeting()
    response = client.get(reverse("meetings:adjust_signed_in", kwargs={"pk": elsewhere.pk}))
    assert response.status_code == 403


def test_decisions_are_listed_and_searchable(client_as):
    meeting = started_meeting(title="Kretsmöte i Järbo")
    services.minutes_paragraphs_save(
        actor=None,
        meeting=meeting,
        paragraphs=paragraphs(
            ("Mötets öppnande", "", ""),  # no decision: not listed
            ("Valplan", "", "Att anta valplanen för Järbo."),
            ("Fika", "", "Att köpa kaffe."),
        ),
    )
    client = client_as(BoardFunction.CAMPAIGN)

    page = client.get(reverse("meetings:decisions"), {"q": "valplanen"}).content.decode()

    assert "Att anta valplanen för Järbo." in page and "Att köpa kaffe." not in page
    assert "1 beslut" in page


def test_decisions_from_minutes_written_before_paragraphs_are_found_too(client_as):
    """Older minutes kept their decisions as MinutesDecision rows, with no §: the search finds
    them beside the § decisions, each with its own anchor."""
    old = started_meeting(title="Kretsmöte 2021")
    older = MinutesDecision.objects.create(
        meeting=old, position=0, text="Att anta valplanen för Storvik."
    )
    MinutesDecision.objects.create(meeting=old, position=1, text="Att köpa en ny banderoll.")
    new = started_meeting(title="Kretsmöte i Järbo")
    services.minutes_paragraphs_save(
        actor=None,
        meeting=new,
        paragraphs=paragraphs(("Valplan", "", "Att anta valplanen för Järbo.")),
    )
    paragraph = new.paragraphs.get(title="Valplan")
    client = client_as(BoardFunction.CAMPAIGN)

    page = client.get(reverse("meetings:decisions"), {"q": "valplanen"}).content.decode()

    assert "2 beslut" in page
    assert f'id="beslut-{paragraph.pk}"' in page
    assert f'id="tidigare-beslut-{older.pk}"' in page
    assert "Att anta valplanen för Storvik." in page and "banderoll" not in page
    one_meeting = client.get(reverse("meetings:decisions"), {"mote": old.pk}).content.decode()
    assert one_meeting.count('data-testid="decision"') == 2 and "Järbo" not in one_meeting
    bad = client.get(reverse("meetings:decisions"), {"mote": "99999999999999"})
    assert bad.status_code == 200


# Attendance as it happens


def test_a_walk_in_member_and_a_guest_are_recorded_and_counted(client_as):
    meeting = started_meeting(kind=Kind.TRAINING, topic="politik")
    invited = InvitationFactory(meeting=meeting)
    walker = MemberFactory(first_name="Ulla")
    client = client_as(BoardFunction.CHAIR)
    url = reverse("meetings:walk_in", kwargs={"pk": meeting.pk})

    client.post(url, {"member": walker.pk})
    client.post(url, {"guest_name": "Gästen Gustav"})
    client.post(url, {"member": invited.member_id})  # invited: ticked, not a walk-in

    assert WalkIn.objects.filter(meeting=meeting).count() == 2
    invited.refresh_from_db()
    assert invited.attended is True
    assert selectors.attendance_count(meeting) == 3
    page = client.get(reverse("meetings:attendance", kwargs={"pk": meeting.pk})).content.decode()
    assert "Gästen Gustav" in page and walker.full_name in page and "3 närvarande" in page


def test_a_walk_in_recorded_by_mistake_is_removed_but_not_a_chosen_justerare(client_as):
    meeting = started_meeting()
    client = client_as(BoardFunction.SECRETARY)
    walk_in_url = reverse("meetings:walk_in", kwargs={"pk": meeting.pk})
    wrong, anna, bo = (MemberFactory(first_name=name) for name in ("Fel", "Anna", "Bo"))
    for member in (wrong, anna, bo):
        client.post(walk_in_url, {"member": member.pk})
    services.adjusters_choose(actor=None, meeting=meeting, members=[anna, bo])
    attendance = reverse("meetings:attendance", kwargs={"pk": meeting.pk})
    remove = reverse("meetings:walk_in_remove", kwargs={"pk": meeting.pk})
    assert f'action="{remove}"' in client.get(attendance).content.decode()

    mistaken = WalkIn.objects.get(member=wrong)
    page = client.post(remove, {"walk_in": mistaken.pk}, follow=True).content.decode()
    assert "borttagen ur närvaron" in page and "2 närvarande" in page
    justerare = WalkIn.objects.get(member=anna)
    page = client.post(remove, {"walk_in": justerare.pk}, follow=True).content.decode()

    assert "vald till justerare" in page
    assert set(meeting.walk_ins.values_list("member_id", flat=True)) == {anna.pk, bo.pk}
    assert selectors.attendance_count(meeting) == 2


def test_attendance_cannot_change_once_the_protocol_naming_it_is_adjusted(client_as):
    meeting = started_meeting()
    anna, bo = with_two_present(meeting)
    services.walk_in_record(actor=None, meeting=meeting, guest_name="Gästen Gustav")
    Meeting.objects.filter(pk=meeting.pk).update(minutes_approved_at=timezone.now())
    meeting.refresh_from_db()
    client = client_as(BoardFunction.SECRETARY)
    attendance = reverse("meetings:attendance", kwargs={"pk": meeting.pk})

    page = client.get(attendance).content.decode()
    assert "närvaron kan inte ändras" in page and "walk-in-remove" not in page
    client.post(attendance, {"attended": []})
    client.post(reverse("meetings:walk_in", kwargs={"pk": meeting.pk}), {"guest_name": "Sen"})
    guest = meeting.walk_ins.get()
    client.post(
        reverse("meetings:walk_in_remove", kwargs={"pk": meeting.pk}), {"walk_in": guest.pk}
    )

    assert selectors.present_names(meeting) == sorted([anna.full_name, bo.full_name]) + [
        "Gästen Gustav"
    ]


def test_members_of_the_same_name_can_be_told_apart_when_recorded(client_as):
    meeting = started_meeting()
    storvik = MemberFactory(
        first_name="Nils",
        last_name="Björk",
        district=DistrictFactory(name="Storvik"),
        member_number=4711,
    )
    jarbo = MemberFactory(
        first_name="Nils",
        last_name="Björk",
        district=DistrictFactory(name="Järbo"),
        member_number=4712,
    )
    client = client_as(BoardFunction.SECRETARY)

    page = client.get(reverse("meetings:attendance", kwargs={"pk": meeting.pk})).content.decode()

    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*Nils Björk[^<]*)</option>', page)
    labels = dict(options)
    assert labels[str(storvik.pk)] == "Nils Björk (Storvik, nr 4711)"
    assert labels[str(jarbo.pk)] == "Nils Björk (Järbo, nr 4712)"
    # Nothing from the registry's contact details.
    assert storvik.email not in page


def test_nobody_is_recorded_present_before_the_meeting_starts(client_as):
    meeting = MeetingFactory(starts_at=in_days(2))
    invitation = InvitationFactory(meeting=meeting)
    client = client_as(BoardFunction.CHAIR)

    client.post(reverse("meetings:walk_in", kwargs={"pk": meeting.pk}), {"guest_name": "Tidig"})
    client.post(
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}), {"attended": [invitation.pk]}
    )

    assert not meeting.walk_ins.exists()
    invitation.refresh_from_db()
    assert not invitation.attended


# Goal figures and the rows behind their links


def test_each_meeting_goal_figure_equals_the_rows_behind_its_link(client_as):
    """Held meetings of several kinds, years and districts, one cancelled, one not yet over;
    walk-ins at a training: every meetings figure for 2026 equals the rows its link lists."""
    from goals.registry import registered

    def held(kind, day, **kwargs):
        start = services.local(day, datetime.time(10))
        return MeetingFactory(
            kind=kind, starts_at=start, ends_at=start + datetime.timedelta(hours=2), **kwargs
        )

    with time_machine.travel(datetime.datetime(2026, 11, 1, 12, tzinfo=services.STOCKHOLM)):
        school = held(Kind.POLITICIANS_SCHOOL, datetime.date(2026, 3, 4), topic="politik")
        held(Kind.TRAINING, datetime.date(2026, 5, 6), topic="ledarskap")
        held(Kind.TRAINING, datetime.date(2025, 5, 6), topic="ledarskap")  # last year
        held(Kind.CHAPTER, datetime.date(2026, 2, 2))
        held(Kind.CHAPTER, datetime.date(2026, 9, 9))
        held(Kind.CHAPTER, datetime.date(2026, 4, 4), status=Meeting.Status.CANCELLED)
        held(Kind.CHAPTER, datetime.date(2026, 12, 1))  # not over yet
        held(Kind.BOARD, datetime.date(2026, 2, 2))
        InvitationFactory(meeting=school, attended=True)
        InvitationFactory(meeting=school, attended=False)
        WalkIn.objects.create(meeting=school, guest_name="Gäst")
        WalkIn.objects.create(meeting=school, member=MemberFactory())
        client = client_as(BoardFunction.CHAIR)
        start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)

        figures = {}
        for key, counter in registered().items():
            if not key.startswith("meetings."):
                continue
            page = client.get(counter.records_url(start, end)).content.decode()
            figures[key] = (counter.count(start, end), page.count('data-testid="record"'))

    assert figures == {
        "meetings.trainings_held": (2, 2),
        "meetings.politikerskola_held": (1, 1),
        "meetings.chapter_meetings_held": (2, 2),
        "meetings.training_participants": (3, 3),
    }
