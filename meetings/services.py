"""Writes about meetings; every business rule of the app lives here."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import District, Member, PoliticalBody

from . import decision_rule, selectors
from .models import (
    COUNCIL,
    AgendaItem,
    CalendarFeed,
    CouncilMeeting,
    GroupSeat,
    Invitation,
    Kind,
    Kit,
    KitBooking,
    Matter,
    Meeting,
    MinutesDecision,
    Proposal,
    Vote,
    new_feed_token,
)

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# What a calendar client shows: a change to any of these raises the SEQUENCE.
CALENDAR_FIELDS = frozenset(
    {
        "kind",  # CATEGORIES
        "title",
        "description",
        "starts_at",
        "ends_at",
        "district",
        "address",
        "video_url",
        "status",
    }
)
CHAPTER_MEETING_TIME = (datetime.time(18, 30), datetime.time(20, 30))
BOARD_MEETING_TIME = (datetime.time(17, 0), datetime.time(18, 15))
COUNCIL_GROUP_TIME = (datetime.time(18, 0), datetime.time(20, 0))


class MeetingError(Exception):
    """A rule refused the change; the message is for the user."""


def local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A wall-clock time in Sandviken, with the right offset on either side of a DST change."""
    return datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)


def meeting_create(
    *,
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
def meeting_update(*, meeting: Meeting, changes: dict) -> Meeting:
    """Apply changes; SEQUENCE goes up when a calendar client would see a difference.

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
    # The caller's instance shows what was saved (the views render from it).
    for model_field in Meeting._meta.concrete_fields:
        setattr(meeting, model_field.attname, getattr(stored, model_field.attname))
    return meeting


def meeting_set_status(*, meeting: Meeting, status: str) -> Meeting:
    return meeting_update(meeting=meeting, changes={"status": status})


def agenda_set(*, meeting: Meeting, items: Iterable[str]) -> None:
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, position=index, title=title.strip())
        for index, title in enumerate(items)
        if title.strip()
    )


@transaction.atomic
def minutes_write(*, meeting: Meeting, text: str, decisions: Iterable[str]) -> Meeting:
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


def minutes_approve(*, meeting: Meeting, user) -> Meeting:
    if not meeting.minutes.strip() and not meeting.decisions.exists():
        raise MeetingError(_("Det finns inget protokoll att justera."))
    updated = Meeting.objects.filter(pk=meeting.pk, minutes_approved_at__isnull=True).update(
        minutes_approved_at=timezone.now(), minutes_approved_by=user
    )
    if not updated:
        raise MeetingError(_("Protokollet är redan justerat."))
    meeting.refresh_from_db()
    return meeting


# Invitations, replies and attendance


def invitations_send(*, meeting: Meeting) -> int:
    """Invite everyone the kind says; each person once. Mail goes out after commit."""
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("Ett inställt möte kan inte bjudas in till."))
    if not meeting.is_training:
        Invitation.objects.bulk_create(
            (
                Invitation(meeting=meeting, member_id=member_id)
                for member_id in selectors.invitees(meeting).values_list("pk", flat=True)
            ),
            ignore_conflicts=True,
            batch_size=1000,
        )
    from .tasks import send_invitations  # tasks import services: import here, not above

    meeting_id = meeting.pk
    transaction.on_commit(lambda: send_invitations.delay(meeting_id))
    return meeting.invitations.filter(sent_at__isnull=True).count()


def invitation_claim(*, invitation_id: int, field: str) -> Invitation | None:
    """Mark an invitation as mailed (sent_at or reminded_at) unless someone already did:
    the conditional update makes a job that runs twice send nothing twice."""
    claimed = Invitation.objects.filter(pk=invitation_id, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}
    )
    if not claimed:
        return None
    return Invitation.objects.select_related("meeting", "meeting__district", "member").get(
        pk=invitation_id
    )


def invitation_reply(*, invitation: Invitation, coming: bool) -> Invitation:
    if invitation.meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("Mötet är inställt."))
    invitation.reply = Invitation.Reply.YES if coming else Invitation.Reply.NO
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "replied_at"])
    return invitation


def attendance_record(*, meeting: Meeting, attended_ids: set[int]) -> None:
    meeting.invitations.update(attended=False)
    meeting.invitations.filter(pk__in=attended_ids).update(attended=True)


def participant_register(*, meeting: Meeting, member: Member) -> Invitation:
    if not meeting.is_training:
        raise MeetingError(_("Bara utbildningar har anmälda deltagare."))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, member=member)
    return invitation


# Planning


@transaction.atomic
def year_plan_propose(
    *, year: int, dates: Iterable[tuple[datetime.date, District]], organiser: Member | None = None
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


def year_plan_decide(*, year: int) -> int:
    """The board decides the year's proposed chapter and board meetings."""
    meetings = Meeting.objects.filter(
        kind__in=[Kind.CHAPTER, Kind.BOARD],
        starts_at__year=year,
        status=Meeting.Status.PROPOSED,
    )
    for meeting in meetings:
        meeting_set_status(meeting=meeting, status=Meeting.Status.DECIDED)
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
    starts_at: datetime.datetime,
    body: str = COUNCIL,
    source_uid: str = "",
    days_before: int | None = None,
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
            kind=Kind.COUNCIL_GROUP,
            title=council_group_title(day),
            starts_at=local(group_day, COUNCIL_GROUP_TIME[0]),
            ends_at=local(group_day, COUNCIL_GROUP_TIME[1]),
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
        meeting_update(meeting=group, changes=changes)
    council.starts_at, council.day = starts_at, day
    council.source_uid = council.source_uid or source_uid
    council.save()
    return council, outcome


def council_dates_enter(*, dates: Iterable, days_before: int | None = None) -> CouncilEntered:
    """Enter pasted or imported council dates (council_dates.CouncilDate); counts for the user."""
    result = CouncilEntered()
    for date in dates:
        council, outcome = council_meeting_enter(
            starts_at=date.starts_at,
            body=date.body,
            source_uid=date.source_uid,
            days_before=days_before,
        )
        if outcome == "clash":
            result.clashes.append(timezone.localdate(date.starts_at))
        else:
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def council_meeting_add(
    *, starts_at: datetime.datetime, days_before: int | None = None
) -> CouncilMeeting:
    """Enter a council meeting and propose the council group's meeting N days before."""
    return council_meeting_enter(starts_at=starts_at, days_before=days_before)[0]


# The decision group


@transaction.atomic
def matter_raise(
    *,
    title: str,
    body: PoliticalBody,
    proposals: Iterable[str],
    description: str = "",
    meeting: Meeting | None = None,
    day: datetime.date | None = None,
) -> Matter:
    """A new matter; its group is fixed now by the rule, so later role changes do not move
    votes already cast."""
    texts = [text.strip() for text in proposals if text.strip()]
    if len(texts) < 1:
        raise MeetingError(_("Ett ärende behöver minst ett förslag."))
    seats = selectors.decision_group_for(body, day or timezone.localdate())
    if not seats:
        raise MeetingError(_("Beslutsgruppen kan inte sättas samman för det organet."))
    matter = Matter.objects.create(title=title, body=body, description=description, meeting=meeting)
    GroupSeat.objects.bulk_create(
        GroupSeat(matter=matter, member=seat.member, roles=list(seat.roles)) for seat in seats
    )
    Proposal.objects.bulk_create(Proposal(matter=matter, text=text) for text in texts)
    return matter


def vote_cast(*, matter: Matter, member: Member, proposal: Proposal | None) -> Vote:
    """Record or change a group member's vote; None is an abstention."""
    if not matter.is_open:
        raise MeetingError(_("Ärendet är avslutat."))
    if not matter.seats.filter(member=member).exists():
        raise MeetingError(_("Bara beslutsgruppens ledamöter röstar."))
    if proposal is not None and proposal.matter_id != matter.pk:
        raise MeetingError(_("Förslaget hör inte till ärendet."))
    vote, _created = Vote.objects.update_or_create(
        matter=matter, member=member, defaults={"proposal": proposal}
    )
    return vote


REASON_TEXT = {
    decision_rule.Reason.UNANIMOUS: gettext_lazy("Gruppen var enig."),
    decision_rule.Reason.MAJORITY: gettext_lazy("Förslaget fick flest röster."),
    decision_rule.Reason.CASTING_VOTE: gettext_lazy(
        "Lika röstetal; kommunalrådets utslagsröst avgjorde."
    ),
    decision_rule.Reason.TIE: gettext_lazy(
        "Lika röstetal och kommunalrådet röstade inte på något av de lika förslagen: "
        "inget beslut, ärendet går vidare till fullmäktigegruppen."
    ),
    decision_rule.Reason.NO_QUORUM: gettext_lazy(
        "Färre än hälften av gruppen deltog: gruppen var inte beslutsför."
    ),
    decision_rule.Reason.NO_VOTES: gettext_lazy("Alla som deltog avstod: inget beslut."),
}


@transaction.atomic
def matter_close(*, matter: Matter) -> Matter:
    """Close the vote and write how the outcome was reached into the matter's minutes."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    if not matter.is_open:
        raise MeetingError(_("Ärendet är redan avslutat."))
    outcome = selectors.matter_outcome(matter)
    proposals = {p.pk: p.text for p in matter.proposals.all()}
    votes = {v.member_id: v.proposal_id for v in matter.votes.all()}
    lines = []
    for seat in matter.seats.select_related("member"):
        if seat.member_id not in votes:
            choice = _("frånvarande, röstade inte")
        elif votes[seat.member_id] is None:
            choice = _("avstod")
        else:
            choice = proposals[votes[seat.member_id]]
        lines.append(f"{seat.member.full_name} ({', '.join(seat.role_labels)}): {choice}")
    tally = ", ".join(f"{proposals[p]}: {n}" for p, n in sorted(outcome.tally.items()))
    lines += [_("Röster: %(tally)s") % {"tally": tally or "–"}, str(REASON_TEXT[outcome.reason])]
    if outcome.decided:
        lines.append(_("Beslut: %(text)s") % {"text": proposals[outcome.winner]})
    matter.status = Matter.Status.CLOSED
    matter.closed_at = timezone.now()
    matter.outcome_id = outcome.winner
    matter.outcome_reason = outcome.reason
    matter.outcome_text = "\n".join(lines)
    matter.save()
    return matter


# The conference kit


class KitUnavailable(MeetingError):
    pass


def kit_book(
    *,
    member: Member,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kit: Kit | None = None,
    meeting: Meeting | None = None,
    note: str = "",
) -> KitBooking:
    """Book the kit for [starts_at, ends_at). PostgreSQL's exclusion constraint refuses an
    overlap even between concurrent requests; elsewhere we check while holding the write lock.

    On PostgreSQL, bookings of one kit also queue on the kit's row: two inserts checking the
    exclusion constraint against each other can otherwise deadlock instead of one losing."""
    if ends_at <= starts_at:
        raise MeetingError(_("Bokningen måste sluta efter att den börjar."))
    kit = kit or Kit.objects.default()
    booking = KitBooking(
        kit=kit, booked_by=member, starts_at=starts_at, ends_at=ends_at, meeting=meeting, note=note
    )
    unavailable = KitUnavailable(_("Utrustningen är redan bokad då."))
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                Kit.objects.select_for_update().filter(pk=kit.pk).first()
            else:
                # SQLite: an UPDATE takes the database's write lock before we look.
                Kit.objects.filter(pk=kit.pk).update(locked_at=timezone.now())
                if KitBooking.objects.filter(
                    kit=kit, starts_at__lt=ends_at, ends_at__gt=starts_at
                ).exists():
                    raise unavailable
            booking.save()
    except IntegrityError as error:
        if "kit_booking_no_overlap" in str(error):
            raise unavailable from error
        raise
    return booking


def kit_booking_cancel(*, booking: KitBooking) -> None:
    booking.delete()


# The private calendar feed


def feed_for(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def feed_revoke(*, user) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = feed_for(user=user)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    return feed
