"""Meetings themselves: creating and changing them, their agenda and minutes, the year's
plan and the council meetings."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import District, Member, User

from ..models import (
    COUNCIL,
    AgendaItem,
    CouncilMeeting,
    Kind,
    Meeting,
    MinutesDecision,
)
from .common import (
    BOARD_MEETING_TIME,
    CALENDAR_FIELDS,
    CHAPTER_MEETING_TIME,
    COUNCIL_GROUP_TIME,
    MeetingError,
    local,
)


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    status: str = Meeting.Status.PROPOSED,
    district: District | None = None,
    address: str = "",
    video_url: str = "",
    organiser: Member | None = None,
    topic: str = "",
    description: str = "",
    agenda: Iterable[str] = (),
    ip: str | None = None,
) -> Meeting:
    if ends_at <= starts_at:
        raise MeetingError(_("Mötet måste sluta efter att det börjar."))
    meeting = Meeting.objects.create(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        status=status,
        district=district,
        address=address,
        video_url=video_url,
        organiser=organiser,
        topic=topic,
        description=description,
    )
    agenda_set(meeting=meeting, items=agenda)
    return meeting


@transaction.atomic
def meeting_update(
    *,
    actor: User | None,
    meeting: Meeting,
    changes: dict,
    agenda: Iterable[str] | None = None,
    ip: str | None = None,
) -> Meeting:
    """Apply changes, and the agenda when given, all or nothing; SEQUENCE goes up when a
    calendar client would see a difference.

    What changed is judged against the stored row, not the instance handed in: a ModelForm
    bound to the meeting has already written the new values onto it during validation, so
    comparing with the instance would find nothing changed and leave the SEQUENCE behind
    (calendars would then keep the old time). Cancelling releases the kit booked for it."""
    stored = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = {name for name, value in changes.items() if getattr(stored, name) != value}
    for name in changed:
        setattr(stored, name, changes[name])
    if stored.ends_at <= stored.starts_at:
        raise MeetingError(_("Mötet måste sluta efter att det börjar."))
    if changed & CALENDAR_FIELDS:
        stored.sequence += 1
    stored.save()
    if "status" in changed and stored.status == Meeting.Status.CANCELLED:
        stored.kit_bookings.all().delete()
    if agenda is not None:
        agenda_set(meeting=stored, items=agenda)
    # The caller's instance shows what was saved (the views render from it).
    for model_field in Meeting._meta.concrete_fields:
        setattr(meeting, model_field.attname, getattr(stored, model_field.attname))
    return meeting


def meeting_set_status(
    *, actor: User | None, meeting: Meeting, status: str, ip: str | None = None
) -> Meeting:
    return meeting_update(actor=actor, meeting=meeting, changes={"status": status}, ip=ip)


def agenda_set(*, meeting: Meeting, items: Iterable[str]) -> None:
    """Replace the agenda; part of meeting_create / meeting_update's transaction."""
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=index, title=title.strip())
        for index, title in enumerate(items)
        if title.strip()
    )


@transaction.atomic
def minutes_write(
    *,
    actor: User | None,
    meeting: Meeting,
    text: str,
    decisions: Iterable[str],
    ip: str | None = None,
) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_locked:
        raise MeetingError(_("Protokollet är justerat och kan inte ändras."))
    meeting.minutes = text
    meeting.save(update_fields=["minutes", "updated_at"])
    meeting.decisions.all().delete()
    MinutesDecision.objects.bulk_create(
        MinutesDecision(meeting=meeting, position=index, text=decision.strip())
        for index, decision in enumerate(decisions)
        if decision.strip()
    )
    return meeting


# Planning


@transaction.atomic
def year_plan_propose(
    *,
    actor: User | None,
    year: int,
    dates: Iterable[tuple[datetime.date, District]],
    organiser: Member | None = None,
    ip: str | None = None,
) -> list[Meeting]:
    """Propose the year's chapter meetings, each with a board meeting before it."""
    created = []
    for day, district in dates:
        if day.year != year:
            raise MeetingError(_("%(day)s ligger inte i %(year)s.") % {"day": day, "year": year})
        if Meeting.objects.filter(
            kind=Kind.CHAPTER, starts_at__date=day, status__in=_not_cancelled()
        ).exists():
            continue
        place = {"district": district, "organiser": organiser}
        created.append(
            meeting_create(
                actor=actor,
                kind=Kind.CHAPTER,
                title=_("Kretsmöte i %(district)s") % {"district": district},
                starts_at=local(day, CHAPTER_MEETING_TIME[0]),
                ends_at=local(day, CHAPTER_MEETING_TIME[1]),
                agenda=[_("Mötets öppnande"), _("Aktuellt från fullmäktigegruppen"), _("Övrigt")],
                **place,
            )
        )
        created.append(
            meeting_create(
                actor=actor,
                kind=Kind.BOARD,
                title=_("Styrelsemöte i samband med kretsmötet"),
                starts_at=local(day, BOARD_MEETING_TIME[0]),
                ends_at=local(day, BOARD_MEETING_TIME[1]),
                **place,
            )
        )
    return created


def _not_cancelled() -> list[str]:
    return [Meeting.Status.PROPOSED, Meeting.Status.DECIDED]


@transaction.atomic
def year_plan_decide(*, actor: User | None, year: int, ip: str | None = None) -> int:
    """The board decides the year's proposed chapter and board meetings."""
    meetings = Meeting.objects.filter(
        kind__in=[Kind.CHAPTER, Kind.BOARD],
        starts_at__year=year,
        status=Meeting.Status.PROPOSED,
    )
    for meeting in meetings:
        meeting_set_status(actor=actor, meeting=meeting, status=Meeting.Status.DECIDED)
    return len(meetings)


def council_group_title(day: datetime.date) -> str:
    from krets.templatetags.krets_format import sv_date

    return _("Fullmäktigegruppen inför KF %(day)s") % {"day": sv_date(day)}


@dataclass
class CouncilEntered:
    created: int = 0
    moved: int = 0
    unchanged: int = 0
    clashes: list[datetime.date] = field(default_factory=list)


@transaction.atomic
def council_meeting_enter(
    *,
    actor: User | None,
    starts_at: datetime.datetime,
    body: str = COUNCIL,
    source_uid: str = "",
    days_before: int | None = None,
    ip: str | None = None,
) -> tuple[CouncilMeeting, str]:
    """Enter one council meeting; ("created" | "moved" | "unchanged" | "clash").

    The same sitting is found by the imported calendar's UID, else by body and day, so it never
    gets a second group meeting: a new time updates it, a new day (known only through a UID)
    moves the proposed group meeting by as many days, keeping its time of day."""
    if days_before is None:
        days_before = settings.KRETS_COUNCIL_GROUP_DAYS_BEFORE
    day = timezone.localdate(starts_at)
    sittings = CouncilMeeting.objects.select_for_update()
    council = sittings.filter(source_uid=source_uid).first() if source_uid else None
    if council is None:
        council = sittings.filter(body=body, day=day).first()
    if council is None:
        council = CouncilMeeting.objects.create(
            body=body, day=day, starts_at=starts_at, source_uid=source_uid
        )
        group_day = day - datetime.timedelta(days=days_before)
        council.group_meeting = meeting_create(
            actor=actor,
            kind=Kind.COUNCIL_GROUP,
            title=council_group_title(day),
            starts_at=local(group_day, COUNCIL_GROUP_TIME[0]),
            ends_at=local(group_day, COUNCIL_GROUP_TIME[1]),
            ip=ip,
        )
        council.save(update_fields=["group_meeting"])
        return council, "created"
    if day != council.day and sittings.filter(body=council.body, day=day).exists():
        return council, "clash"  # another sitting is already entered on the new day
    outcome = "unchanged" if (starts_at, day) == (council.starts_at, council.day) else "moved"
    group = council.group_meeting
    if day != council.day and group is not None and group.status != Meeting.Status.CANCELLED:
        shift = day - council.day
        changes = {
            "starts_at": local(
                timezone.localdate(group.starts_at) + shift,
                timezone.localtime(group.starts_at).time(),
            ),
            "ends_at": local(
                timezone.localdate(group.ends_at) + shift, timezone.localtime(group.ends_at).time()
            ),
        }
        if group.title == council_group_title(council.day):
            changes["title"] = council_group_title(day)
        meeting_update(actor=actor, meeting=group, changes=changes, ip=ip)
    council.starts_at, council.day = starts_at, day
    council.source_uid = council.source_uid or source_uid
    council.save()
    return council, outcome


@transaction.atomic
def council_dates_enter(
    *,
    actor: User | None,
    dates: Iterable,
    days_before: int | None = None,
    ip: str | None = None,
) -> CouncilEntered:
    """Enter pasted or imported council dates (council_dates.CouncilDate), all of them or none;
    counts for the user."""
    result = CouncilEntered()
    for date in dates:
        council, outcome = council_meeting_enter(
            actor=actor,
            starts_at=date.starts_at,
            body=date.body,
            source_uid=date.source_uid,
            days_before=days_before,
            ip=ip,
        )
        if outcome == "clash":
            result.clashes.append(timezone.localdate(date.starts_at))
        else:
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def council_meeting_add(
    *,
    actor: User | None,
    starts_at: datetime.datetime,
    days_before: int | None = None,
    ip: str | None = None,
) -> CouncilMeeting:
    """Enter a council meeting and propose the council group's meeting N days before."""
    return council_meeting_enter(actor=actor, starts_at=starts_at, days_before=days_before, ip=ip)[
        0
    ]
