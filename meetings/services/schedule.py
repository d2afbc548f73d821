"""Meetings themselves: creating and changing them, their agenda and minutes, the year's
plan and the council meetings."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import District, Member, User

from ..models import (
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
    calendar client would see a difference."""
    changed = {name for name, value in changes.items() if getattr(meeting, name) != value}
    for name in changed:
        setattr(meeting, name, changes[name])
    if meeting.ends_at <= meeting.starts_at:
        raise MeetingError(_("Mötet måste sluta efter att det börjar."))
    if changed & CALENDAR_FIELDS:
        meeting.sequence += 1
    meeting.save()
    if agenda is not None:
        agenda_set(meeting=meeting, items=agenda)
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


def minutes_approve(*, actor: User, meeting: Meeting, ip: str | None = None) -> Meeting:
    if not meeting.minutes.strip() and not meeting.decisions.exists():
        raise MeetingError(_("Det finns inget protokoll att justera."))
    updated = Meeting.objects.filter(pk=meeting.pk, minutes_approved_at__isnull=True).update(
        minutes_approved_at=timezone.now(), minutes_approved_by=actor
    )
    if not updated:
        raise MeetingError(_("Protokollet är redan justerat."))
    meeting.refresh_from_db()
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


@transaction.atomic
def council_meetings_add(
    *,
    actor: User | None,
    starts: Iterable[datetime.datetime],
    days_before: int | None = None,
    ip: str | None = None,
) -> list[CouncilMeeting]:
    """Enter several council meetings at once: all of them or none."""
    return [
        council_meeting_add(actor=actor, starts_at=starts_at, days_before=days_before, ip=ip)
        for starts_at in starts
    ]


@transaction.atomic
def council_meeting_add(
    *,
    actor: User | None,
    starts_at: datetime.datetime,
    days_before: int | None = None,
    ip: str | None = None,
) -> CouncilMeeting:
    """Enter a council meeting and propose the council group's meeting N days before."""
    if days_before is None:
        days_before = settings.KRETS_COUNCIL_GROUP_DAYS_BEFORE
    council, _created = CouncilMeeting.objects.get_or_create(starts_at=starts_at)
    if council.group_meeting_id is None:
        day = timezone.localdate(starts_at) - datetime.timedelta(days=days_before)
        council.group_meeting = meeting_create(
            actor=actor,
            kind=Kind.COUNCIL_GROUP,
            title=_("Fullmäktigegruppen inför KF %(day)s")
            % {"day": f"{timezone.localdate(starts_at):%Y-%m-%d}"},
            starts_at=local(day, COUNCIL_GROUP_TIME[0]),
            ends_at=local(day, COUNCIL_GROUP_TIME[1]),
        )
        council.save(update_fields=["group_meeting"])
    return council
