"""Council dates as the municipality publishes them: pasted lines and its `.ics`, each sitting
once, a new time moving the proposal, past dates refused by name."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import council_dates, services
from meetings.models import CouncilMeeting, Kind, Meeting
from meetings.services import STOCKHOLM, local
from members.models import BoardFunction

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 1, 12, tzinfo=datetime.UTC)


def at(year, month, day, hour=13, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


@pytest.mark.parametrize(
    ("line", "body", "starts_at"),
    [
        ("Kommunfullmäktige 2027-02-22 kl. 13.00", "Kommunfullmäktige", at(2027, 2, 22)),
        ("Kommunfullmäktige 2027-02-22 kl 13:00", "Kommunfullmäktige", at(2027, 2, 22)),
        ("2027-02-22 13.00", "Kommunfullmäktige", at(2027, 2, 22)),
        ("Kommunfullmäktige\t22 februari 2027\tkl. 13.00", "Kommunfullmäktige", at(2027, 2, 22)),
        (
            "  Kommunfullmäktige   måndag 22 feb. 2027  kl.13.30 ",
            "Kommunfullmäktige",
            at(2027, 2, 22, 13, 30),
        ),
        ("KF, 14 juni 2027, kl. 9.00", "Kommunfullmäktige", at(2027, 6, 14, 9)),
        ("Kommunstyrelsen 2027-03-02 kl. 08.30", "Kommunstyrelsen", at(2027, 3, 2, 8, 30)),
        ("Kommunfullmäktige 1 okt 2027 kl 18", "Kommunfullmäktige", at(2027, 10, 1, 18)),
    ],
)
def test_lines_as_the_municipality_writes_them(line, body, starts_at):
    (date,) = council_dates.parse_lines(line, now=NOW)
    assert (date.body, date.starts_at) == (body, starts_at)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Kommunfullmäktige 2026-02-23 kl. 13.00",
            "”Kommunfullmäktige 2026-02-23 kl. 13.00” har redan varit",
        ),
        ("Kommunfullmäktige nästa måndag", "Hittar inget datum i ”Kommunfullmäktige nästa måndag”"),
        ("Kommunfullmäktige 2027-02-22", "Hittar inget klockslag i ”Kommunfullmäktige 2027-02-22”"),
        ("Kommunfullmäktige 2027-02-30 kl. 13", "har ett datum som inte finns"),
        ("Kommunfullmäktige 2027-02-22 kl. 25.00", "har ett klockslag som inte finns"),
    ],
)
def test_a_wrong_or_past_line_is_refused_by_name(text, message):
    with pytest.raises(council_dates.CouncilDateError, match=message):
        council_dates.parse_lines(f"2027-01-25 kl. 13.00\n{text}\n", now=NOW)


def post(client, **data):
    data.setdefault("days_before", 7)
    return client.post(reverse("meetings:council"), data, follow=True)


def group_days():
    return [
        m.starts_at.astimezone(STOCKHOLM).date()
        for m in Meeting.objects.filter(kind=Kind.COUNCIL_GROUP).order_by("starts_at")
    ]


def test_pasted_lines_propose_group_meetings_and_a_new_time_moves_the_sitting(client_as):
    client = client_as(BoardFunction.SECRETARY)
    page = post(
        client,
        starts=(
            "Kommunfullmäktige\t2030-02-25\tkl. 13.00\n\nKommunfullmäktige 22 april 2030 kl 18:00\n"
        ),
    ).content.decode()
    assert "2 sammanträden är inlagda med förslag på gruppmöten." in page
    assert group_days() == [datetime.date(2030, 2, 18), datetime.date(2030, 4, 15)]
    assert "Fullmäktigegruppen inför KF 25 feb 2030" in set(
        Meeting.objects.values_list("title", flat=True)
    )

    page = post(client, starts="Kommunfullmäktige 2030-02-25 kl. 10.00").content.decode()
    assert "1 sammanträde hade ny tid och är flyttat" in page
    assert CouncilMeeting.objects.count() == 2
    assert CouncilMeeting.objects.get(day=datetime.date(2030, 2, 25)).starts_at == at(
        2030, 2, 25, 10
    )
    assert group_days() == [datetime.date(2030, 2, 18), datetime.date(2030, 4, 15)]

    page = post(client, starts="Kommunfullmäktige 2026-02-23 kl. 13.00").content.decode()
    assert "”Kommunfullmäktige 2026-02-23 kl. 13.00” har redan varit" in page
    assert CouncilMeeting.objects.count() == 2


COUNCIL_ICS = """BEGIN:VCALENDAR\r
VERSION:2.0\r
PRODID:-//Sandvikens kommun//Sammantraden//SV\r
BEGIN:VTIMEZONE\r
TZID:W. Europe Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:kf-2030-03@sandviken.example\r
DTSTAMP:20291201T100000Z\r
DTSTART:20300325T120000Z\r
DTEND:20300325T160000Z\r
SUMMARY:Kommunfullmäktige\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:kf-2030-06@sandviken.example\r
DTSTAMP:20291201T100000Z\r
DTSTART:{june}\r
SUMMARY:Kommunfullmäktige & budget\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:ks-2030-03@sandviken.example\r
DTSTAMP:20291201T100000Z\r
DTSTART:20300310T080000Z\r
SUMMARY:Kommunstyrelsen\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:kf-2020@sandviken.example\r
DTSTAMP:20191201T100000Z\r
DTSTART:20200615T110000Z\r
SUMMARY:Kommunfullmäktige\r
END:VEVENT\r
END:VCALENDAR\r
"""


def upload(june: str) -> SimpleUploadedFile:
    body = COUNCIL_ICS.replace("{june}", june).encode()
    return SimpleUploadedFile("kf.ics", body, content_type="text/calendar")


def test_the_councils_ics_is_imported_once_and_a_moved_sitting_moves_its_proposal(client_as):
    client = client_as(BoardFunction.SECRETARY)
    page = post(client, calendar_file=upload("20300615T110000Z")).content.decode()

    assert "2 sammanträden är inlagda med förslag på gruppmöten." in page
    assert "1 sammanträde i kalendern har redan varit" in page
    assert (
        "1 händelse i kalendern var inställd, saknade klockslag eller gällde ett annat organ"
        in page
    )
    sittings = list(CouncilMeeting.objects.order_by("starts_at"))
    assert [c.starts_at for c in sittings] == [at(2030, 3, 25, 13), at(2030, 6, 15, 13)]
    assert [c.source_uid for c in sittings] == [
        "kf-2030-03@sandviken.example",
        "kf-2030-06@sandviken.example",
    ]
    assert group_days() == [datetime.date(2030, 3, 18), datetime.date(2030, 6, 8)]

    # The municipality moves June's sitting two days on: the same group meeting moves with it.
    june_group = sittings[1].group_meeting
    page = post(client, calendar_file=upload("20300617T110000Z")).content.decode()
    assert "1 sammanträde hade ny tid och är flyttat, med sitt gruppmöte." in page
    assert "1 sammanträde fanns redan och är oförändrat." in page
    assert CouncilMeeting.objects.count() == 2
    assert group_days() == [datetime.date(2030, 3, 18), datetime.date(2030, 6, 10)]
    june_group.refresh_from_db()
    assert june_group.starts_at == local(datetime.date(2030, 6, 10), datetime.time(18))
    assert june_group.title == "Fullmäktigegruppen inför KF 17 juni 2030"
    assert june_group.sequence == 1

    # Pasting a line for a sitting the file brought in finds it by body and day.
    post(client, starts="Kommunfullmäktige 25 mars 2030 kl. 13.00")
    assert CouncilMeeting.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "body", "message"),
    [
        ("brev.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "Filen är ingen kalender"),
        ("kontakt.vcf", b"BEGIN:VCARD\r\nFN:Anna\r\nEND:VCARD\r\n", "Filen är ingen kalender"),
        (
            "tom.ics",
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            "Klistra in sammanträden",
        ),
        ("stor.ics", b"X" * (1024 * 1024 + 1), "Filen är för stor"),
    ],
)
def test_a_file_that_is_not_a_calendar_gets_a_swedish_message(client_as, name, body, message):
    client = client_as(BoardFunction.SECRETARY)
    response = post(client, calendar_file=SimpleUploadedFile(name, body))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CouncilMeeting.objects.exists()


def test_entering_the_same_sitting_twice_by_service_keeps_one_group_meeting():
    first = services.council_meeting_add(starts_at=at(2030, 9, 23, 13))
    again = services.council_meeting_add(starts_at=at(2030, 9, 23, 15))
    assert first.pk == again.pk
    assert Meeting.objects.filter(kind=Kind.COUNCIL_GROUP).count() == 1
