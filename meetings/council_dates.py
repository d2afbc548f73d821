"""Council dates as the municipality publishes them: lines pasted from its web page, or an
`.ics` of its calendar. Reading only; services.council_dates_enter writes.

Lines look like `Kommunfullmäktige 2027-02-22 kl. 13.00`, `Kommunfullmäktige måndag 22
februari 2027 kl 13:00` or just `2027-02-22 13.00`, with tabs and runs of spaces from a copied
table. The text before the date names the body; without one it is the council.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from icalendar import Calendar

from krets.templatetags.krets_format import sv_date

from .models import COUNCIL
from .services import STOCKHOLM

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "febr": 2,
    "feb": 2,
    "mars": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "maj": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augusti": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = r"(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|mån|tis|ons|tors|tor|fre|lör|sön)"
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
ISO_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
WORD_DATE = re.compile(
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\.?\s+(?P<year>\d{{4}})(?!\d)", re.IGNORECASE
)
TIME = re.compile(
    r"^[\s,]*(?:kl(?:ockan)?\.?\s*)?(?P<hour>\d{1,2})(?:[.:](?P<minute>\d{2}))?(?!\d)",
    re.IGNORECASE,
)
BODY_TRIM = re.compile(rf"(?:[\s,:;–-]|\b{WEEKDAYS}\b\.?|\bden\b)+$", re.IGNORECASE)
MAX_ICS_BYTES = 1024 * 1024  # a year of a council's sittings is a few kilobytes


class CouncilDateError(ValueError):
    """The message is for the user and names the line."""


@dataclass(frozen=True)
class CouncilDate:
    body: str
    starts_at: datetime.datetime
    source_uid: str = ""


def body_name(text: str) -> str:
    """The council for anything that names it (KF, Kommunfullmäktige, Fullmäktige); the text
    as written for another body; the council when nothing is written."""
    text = " ".join(text.split())
    if not text or "fullmäktige" in text.lower() or text.upper() in {"KF", "KOMMUNFULLMÄKTIGE"}:
        return COUNCIL
    return text[:100]


def parse_line(line: str) -> CouncilDate:
    text = " ".join(line.replace("\xa0", " ").split())
    found = ISO_DATE.search(text) or WORD_DATE.search(text)
    if found is None:
        raise CouncilDateError(
            _("Hittar inget datum i ”%(line)s”. Skriv till exempel 2027-02-22 kl. 13.00.")
            % {"line": text}
        )
    month = found["month"]
    month = int(month) if month.isdigit() else MONTHS[month.lower()]
    try:
        day = datetime.date(int(found["year"]), month, int(found["day"]))
    except ValueError:
        raise CouncilDateError(
            _("”%(line)s” har ett datum som inte finns.") % {"line": text}
        ) from None
    time = TIME.match(text[found.end() :])
    if time is None:
        raise CouncilDateError(
            _("Hittar inget klockslag i ”%(line)s”. Skriv till exempel kl. 13.00.") % {"line": text}
        )
    try:
        clock = datetime.time(int(time["hour"]), int(time["minute"] or 0))
    except ValueError:
        raise CouncilDateError(
            _("”%(line)s” har ett klockslag som inte finns.") % {"line": text}
        ) from None
    body = BODY_TRIM.sub("", text[: found.start()])
    return CouncilDate(
        body=body_name(body), starts_at=datetime.datetime.combine(day, clock, tzinfo=STOCKHOLM)
    )


def parse_lines(text: str, *, now: datetime.datetime | None = None) -> list[CouncilDate]:
    """Every non-empty line, or CouncilDateError naming the first line that is wrong or past."""
    now = now or timezone.now()
    dates = []
    for line in text.splitlines():
        if not line.strip():
            continue
        date = parse_line(line)
        if date.starts_at <= now:
            raise CouncilDateError(
                _("”%(line)s” har redan varit. Lägg bara in kommande sammanträden.")
                % {"line": " ".join(line.split())}
            )
        dates.append(date)
    return dates


@dataclass
class CalendarImport:
    dates: list[CouncilDate]
    past: int = 0
    other: int = 0  # cancelled, without a time of day, or another body's
    total: int = 0


def parse_ics(data: bytes, *, now: datetime.datetime | None = None) -> CalendarImport:
    """The council's sittings in an `.ics` file: upcoming, timed events, keyed by their UID.

    A municipality's calendar often holds every body's meetings: when some events name the
    council (fullmäktige), only those are taken; when none does, the file is the council's own
    and every event is one of its sittings."""
    now = now or timezone.now()
    not_a_calendar = CouncilDateError(_("Filen är ingen kalender. Välj en .ics-fil."))
    if len(data) > MAX_ICS_BYTES:
        raise CouncilDateError(_("Filen är för stor för en kalender (högst 1 MB)."))
    try:
        calendars = Calendar.from_ical(data.decode("utf-8-sig"), multiple=True)
    except (ValueError, UnicodeDecodeError, IndexError, KeyError, TypeError):
        raise not_a_calendar from None
    events = [event for calendar in calendars for event in calendar.walk("VEVENT")]
    if not calendars or any(calendar.name != "VCALENDAR" for calendar in calendars):
        raise not_a_calendar
    named = [e for e in events if "fullmäktige" in str(e.get("SUMMARY", "")).lower()]
    result = CalendarImport(dates=[], total=len(events))
    for event in named or events:
        start = event.get("DTSTART")
        start = start.dt if start is not None else None
        if (
            not isinstance(start, datetime.datetime)
            or str(event.get("STATUS", "")).upper() == "CANCELLED"
        ):
            result.other += 1
            continue
        if start.tzinfo is None:  # floating time: the municipality's own, Swedish
            start = start.replace(tzinfo=STOCKHOLM)
        if start <= now:
            result.past += 1
            continue
        result.dates.append(
            CouncilDate(
                body=COUNCIL,
                starts_at=start.astimezone(STOCKHOLM),
                source_uid=str(event.get("UID", ""))[:255],
            )
        )
    result.other += len(events) - len(named or events)
    return result


def council_messages(entered, skipped: CalendarImport) -> list[str]:
    """What happened, in Swedish: services.CouncilEntered and what the file had besides."""
    texts = []
    if entered.created:
        texts.append(
            ngettext(
                "%(n)s sammanträde är inlagt med förslag på gruppmöte.",
                "%(n)s sammanträden är inlagda med förslag på gruppmöten.",
                entered.created,
            )
            % {"n": entered.created}
        )
    if entered.moved:
        texts.append(
            ngettext(
                "%(n)s sammanträde hade ny tid och är flyttat, med sitt gruppmöte.",
                "%(n)s sammanträden hade ny tid och är flyttade, med sina gruppmöten.",
                entered.moved,
            )
            % {"n": entered.moved}
        )
    if entered.unchanged:
        texts.append(
            ngettext(
                "%(n)s sammanträde fanns redan och är oförändrat.",
                "%(n)s sammanträden fanns redan och är oförändrade.",
                entered.unchanged,
            )
            % {"n": entered.unchanged}
        )
    for day in entered.clashes:
        texts.append(
            _("Ett sammanträde flyttades till %(day)s, där det redan finns ett: ändra för hand.")
            % {"day": sv_date(day)}
        )
    if skipped.past:
        texts.append(
            ngettext(
                "%(n)s sammanträde i kalendern har redan varit och lades inte in.",
                "%(n)s sammanträden i kalendern har redan varit och lades inte in.",
                skipped.past,
            )
            % {"n": skipped.past}
        )
    if skipped.other:
        texts.append(
            ngettext(
                "%(n)s händelse i kalendern var inställd, saknade klockslag eller gällde ett "
                "annat organ och lades inte in.",
                "%(n)s händelser i kalendern var inställda, saknade klockslag eller gällde "
                "andra organ och lades inte in.",
                skipped.other,
            )
            % {"n": skipped.other}
        )
    return texts
