import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from krets.templatetags.krets_format import money, sv_date, sv_datetime, sv_day, sv_time
from meetings.models import Kind
from meetings.services import local
from tests.fixtures.meetings import MeetingFactory


def test_money_shows_swedish_thousands_and_decimal_comma():
    assert money(Decimal("1234.5")) == "1 234,50 kr"
    assert money(1234567) == "1 234 567,00 kr"
    assert money(Decimal("0")) == "0,00 kr"
    assert money(Decimal("-50.256")) == "-50,26 kr"
    assert money(None) == ""


def test_sv_date_uses_swedish_month_names():
    with translation.override("sv"):
        assert sv_date(datetime.date(2023, 3, 14)) == "14 mars 2023"


# Swedish dates everywhere: month names in lower case, as Swedes write them.

STOCKHOLM = datetime.timezone(datetime.timedelta(hours=1))


def test_dates_read_13_dec_2026_and_5_okt_never_capitalised():
    with translation.override("sv"):
        evening = datetime.datetime(2026, 12, 13, 18, 30, tzinfo=STOCKHOLM)
        assert sv_date(evening) == "13 dec 2026"
        assert sv_day(datetime.date(2026, 10, 5)) == "5 okt"
        assert sv_date(datetime.date(2026, 10, 5)) == "5 okt 2026"
        assert sv_datetime(evening) == "sön 13 dec 2026 18:30"
        assert sv_time(evening) == "18:30"
        # An aware UTC time is shown in Swedish time, on its Swedish day.
        late = datetime.datetime(2026, 12, 13, 23, 30, tzinfo=datetime.UTC)
        assert sv_datetime(late) == "mån 14 dec 2026 00:30"
        months = [sv_day(datetime.date(2026, month, 1)) for month in range(1, 13)]
        assert months == [
            "1 jan", "1 feb", "1 mars", "1 april", "1 maj", "1 juni",
            "1 juli", "1 aug", "1 sep", "1 okt", "1 nov", "1 dec",
        ]  # fmt: skip


def test_inputs_take_iso_dates_and_not_the_american_order():
    with translation.override("sv"):
        field = forms.DateField()
        assert field.clean("2026-12-13") == datetime.date(2026, 12, 13)
        with pytest.raises(forms.ValidationError):
            field.clean("12/13/2026")
        assert forms.DateTimeField().clean("2026-12-13T18:30").hour == 18


@pytest.mark.django_db
def test_a_page_a_mail_and_the_feed_show_swedish_dates(client):
    meeting = MeetingFactory(
        kind=Kind.DEBATE,
        title="Debatt om skolan",
        starts_at=local(datetime.date(2026, 12, 13), datetime.time(18, 30)),
        ends_at=local(datetime.date(2026, 12, 13), datetime.time(20, 30)),
        description="Välkommen!",
    )

    page = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).content.decode()
    assert "sön 13 dec 2026 18:30–20:30" in page

    with translation.override("sv"):
        mail = render_to_string(
            "dues/email/dues_reminder.txt",
            {
                "member": SimpleNamespace(first_name="Anna"),
                "invoice": SimpleNamespace(
                    year=2026, due_on=datetime.date(2026, 10, 5), amount=200, ocr="12345"
                ),
                "swish_number": "123 456 78 90",
                "link": "https://portal.example.org/x",
            },
        )
        details = render_to_string("meetings/email/_details.txt", {"meeting": meeting})
    assert "som förföll 5 okt 2026." in mail
    assert "När: sön 13 dec 2026 18:30–20:30" in details  # the shared Swedish form

    feed = client.get(reverse("meetings:feed")).content
    (event,) = Calendar.from_ical(feed).walk("VEVENT")
    assert str(event["DESCRIPTION"]).startswith("sön 13 dec 2026 18:30–20:30\n\nVälkommen!")
