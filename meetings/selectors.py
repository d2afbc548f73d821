"""Reads about meetings: who sees what, who is invited, counts and the year's spread."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from krets.mail.models import MailSend
from krets.mail.selectors import sends_waiting
from krets.rights import Perm, Rights
from members.models import BoardFunction, District, Member, PartyPosition
from members.selectors import (
    board_for_year,
    current_assignments,
    current_party_positions,
    ordinary_representative,
)

from . import decision_rule, parts
from .models import (
    OPEN_KINDS,
    TRAINING_KINDS,
    GroupSeat,
    Invitation,
    Kind,
    KitBooking,
    Matter,
    Meeting,
    MinutesDecision,
    MinutesParagraph,
)


def meetings_visible_to(rights: Rights) -> QuerySet[Meeting]:
    """Everything the person may see: open meetings once proposed dates are decided, the
    board everything, others also the meetings they are invited to."""
    meetings = Meeting.objects.select_related("district", "organiser")
    if rights.has(Perm.MEETINGS_VIEW):
        return meetings
    visible = Q(kind__in=OPEN_KINDS) & ~Q(status=Meeting.Status.PROPOSED)
    if rights.member_id is not None:
        visible |= Q(invitations__member_id=rights.member_id) | Q(
            matters__seats__member_id=rights.member_id
        )
    if rights.is_politician:
        # The council group is the politicians' own: its meetings, proposed ones too.
        visible |= Q(kind=Kind.COUNCIL_GROUP)
    return meetings.filter(
        pk__in=Meeting.objects.filter(visible).values("pk")
    )  # a subquery: the joins above must not repeat rows


def upcoming_kit_bookings(rights: Rights) -> QuerySet[KitBooking]:
    """Bookings not yet over; `meeting_visible` says whether the person may see the meeting a
    booking is for (its title is shown only then)."""
    visible = meetings_visible_to(rights).filter(pk=OuterRef("meeting_id"))
    return (
        KitBooking.objects.filter(ends_at__gte=timezone.now())
        .select_related("booked_by", "meeting")
        .annotate(meeting_visible=Exists(visible))
    )


def public_meetings() -> QuerySet[Meeting]:
    """The public feed: open meetings, decided or cancelled (so that calendars drop them)."""
    return (
        Meeting.objects.open_to_all()
        .exclude(status=Meeting.Status.PROPOSED)
        .select_related("district")
    )


def can_change_meeting(rights: Rights, meeting: Meeting) -> bool:
    """Trainings are the utbildningsansvarig's; every other meeting the sekreterare's."""
    trainings = meeting.kind in TRAINING_KINDS
    return rights.has(Perm.TRAININGS_CHANGE if trainings else Perm.MEETINGS_CHANGE)


# Fetch and authorise: the object-level rules, one helper per thing -------------------------


def get_meeting_for_user(request, pk: int, write: bool = False) -> Meeting:
    """The meeting if the person may see it (or, with write, change it); else 404/403."""
    meeting = get_object_or_404(Meeting.objects.select_related("district", "organiser"), pk=pk)
    if write:
        allowed = can_change_meeting(request.rights, meeting)
    else:
        allowed = meetings_visible_to(request.rights).filter(pk=pk).exists()
    if not allowed:
        raise PermissionDenied
    return meeting


def get_matter_for_user(request, pk: int, *, vote: bool = False) -> tuple[Matter, GroupSeat | None]:
    """The matter and the person's seat in its group (None: may read, not vote). With
    `vote`, only the matter's group gets it: they vote and close the vote."""
    matter = get_object_or_404(Matter.objects.select_related("body", "outcome", "meeting"), pk=pk)
    seat = matter.seats.filter(member_id=request.rights.member_id).first()
    if seat is None and (vote or not request.rights.has(Perm.DECISIONS_VIEW)):
        raise PermissionDenied
    return matter, seat


def get_kit_booking_for_user(request, pk: int) -> KitBooking:
    """A booking the person may cancel: their own; the sekreterare and the ordförande any."""
    booking = get_object_or_404(KitBooking, pk=pk)
    if booking.booked_by_id != request.rights.member_id and not request.rights.has(
        Perm.MEETINGS_CHANGE
    ):
        raise PermissionDenied
    return booking


def may_see_matters(rights: Rights) -> bool:
    """The decision group's list: the board, and members with a seat in a political body."""
    return rights.has(Perm.DECISIONS_VIEW) or rights.is_politician


def may_raise_matter(rights: Rights) -> bool:
    """Who may raise a matter for the decision group."""
    return rights.is_board or rights.is_politician


def may_take_attendance(rights: Rights, meeting: Meeting) -> bool:
    """Names are for those who take attendance: the board's name readers, and for a training
    the utbildningsansvarig who runs it."""
    return rights.has(Perm.MEMBERS_NAMES) or (
        meeting.kind in TRAINING_KINDS and can_change_meeting(rights, meeting)
    )


def feed_state(meetings: QuerySet[Meeting]) -> tuple[str, datetime.datetime | None]:
    """(digest, newest change) of a feed's meetings, from one narrow query: the ETag changes
    whenever a meeting in it changes, enters or leaves, and two different sets never share it."""
    rows = meetings.order_by("pk").values_list("pk", "updated_at")
    digest = hashlib.sha256()
    changed = None
    for pk, updated_at in rows:
        digest.update(f"{pk}:{updated_at.timestamp()};".encode())
        changed = updated_at if changed is None or updated_at > changed else changed
    return digest.hexdigest()[:32], changed


def invitees(meeting: Meeting) -> QuerySet[Member]:
    """Who is invited, following from the kind (see README)."""
    day = timezone.localdate(meeting.starts_at)
    active = Member.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=day)).exclude(email="")
    if meeting.kind in OPEN_KINDS:  # everyone who still wants such invitations
        return active.filter(open_meeting_invitations=True)
    if meeting.kind == Kind.BOARD:
        ids = {assignment.member_id for assignment in board_for_year(day.year)}
        return active.filter(pk__in=ids)
    if meeting.kind in (Kind.COUNCIL_GROUP, Kind.SITE_VISIT):
        return active.filter(
            Q(pk__in=current_assignments(day).values("member_id"))
            | Q(pk__in=current_party_positions(day).values("member_id"))
        )
    if meeting.kind == Kind.DECISION_GROUP:
        return active.filter(group_seats__matter__meeting=meeting).distinct()
    return active.filter(invitations__meeting=meeting)  # trainings: registered participants


@dataclass(frozen=True)
class ReplyCounts:
    invited: int
    yes: int
    no: int
    attended: int

    @property
    def unanswered(self) -> int:
        return self.invited - self.yes - self.no


def reply_counts(meeting: Meeting) -> ReplyCounts:
    counts = meeting.invitations.aggregate(
        invited=Count("pk"),
        yes=Count("pk", filter=Q(reply=Invitation.Reply.YES)),
        no=Count("pk", filter=Q(reply=Invitation.Reply.NO)),
        attended=Count("pk", filter=Q(attended=True)),
    )
    return ReplyCounts(**counts)


def year_spread(year: int) -> list[dict]:
    """Chapter meetings of a year per district and month, for the year view."""
    counts: dict[int | None, dict[int, list[Meeting]]] = defaultdict(lambda: defaultdict(list))
    for meeting in Meeting.objects.filter(kind=Kind.CHAPTER, starts_at__year=year).exclude(
        status=Meeting.Status.CANCELLED
    ):
        counts[meeting.district_id][timezone.localtime(meeting.starts_at).month].append(meeting)
    rows = []
    for district in District.objects.all():
        months = counts.get(district.pk, {})
        rows.append(
            {
                "district": district,
                "months": [months.get(month, []) for month in range(1, 13)],
                "total": sum(len(meetings) for meetings in months.values()),
            }
        )
    return rows


@dataclass(frozen=True)
class Seat:
    member: Member
    roles: tuple[str, ...]


def decision_group_for(body, day: datetime.date) -> list[Seat]:
    """The group for a matter of `body` on `day`, by the operating plan's rule.

    The party's ordinary representative in the body (members.selectors.ordinary_representative),
    the chapter's ordförande, the gruppledare and the kommunalråd. One person holding several
    roles has one seat.
    """
    holders: list[tuple[Member, str]] = []
    representative = ordinary_representative(body, day)
    if representative is not None:
        holders.append((representative, GroupSeat.Role.BODY_MEMBER))
    holders += [
        (a.member, GroupSeat.Role.CHAIR)
        for a in board_for_year(day.year)
        if a.function == BoardFunction.CHAIR
    ]
    positions = {p.kind: p.member for p in current_party_positions(day)}
    for kind, role in (
        (PartyPosition.Kind.GROUP_LEADER, GroupSeat.Role.GROUP_LEADER),
        (PartyPosition.Kind.COMMISSIONER, GroupSeat.Role.COMMISSIONER),
    ):
        if kind in positions:
            holders.append((positions[kind], role))
    by_member: dict[int, Seat] = {}
    for member, role in holders:
        seat = by_member.get(member.pk)
        by_member[member.pk] = Seat(member, (seat.roles if seat else ()) + (role,))
    return list(by_member.values())


def matters_visible_to(rights: Rights) -> QuerySet[Matter]:
    matters = Matter.objects.select_related("body", "outcome")
    if rights.has(Perm.DECISIONS_VIEW):
        return matters
    return matters.filter(seats__member_id=rights.member_id)


def upcoming_for(rights: Rights, *, limit: int = 5) -> list[Meeting]:
    return list(
        meetings_visible_to(rights)
        .filter(ends_at__gte=timezone.now())
        .exclude(status=Meeting.Status.CANCELLED)[:limit]
    )


def reminders_due(now: datetime.datetime | None = None) -> list[int]:
    """Invitations to decided meetings starting within the reminder window, not yet reminded,
    not declined."""
    now = now or timezone.now()
    window = now + datetime.timedelta(hours=settings.KRETS_MEETING_REMINDER_HOURS)
    return list(
        Invitation.objects.filter(
            meeting__status=Meeting.Status.DECIDED,
            meeting__starts_at__gt=now,
            meeting__starts_at__lte=window,
            sent_at__isnull=False,
            reminded_at__isnull=True,
        )
        .exclude(reply=Invitation.Reply.NO)
        .values_list("pk", flat=True)
    )


def matter_outcome(matter: Matter) -> decision_rule.Outcome:
    seats = list(matter.seats.all())
    commissioner = next(
        (s.member_id for s in seats if GroupSeat.Role.COMMISSIONER in s.roles), None
    )
    return decision_rule.decide(
        group=frozenset(s.member_id for s in seats),
        votes={v.member_id: v.proposal_id for v in matter.votes.all()},
        commissioner=commissioner,
    )


# Minutes: who was there, and the decisions -------------------------------------------------


def _others_present(meeting: Meeting, member_ids: set[int]) -> list[str]:
    """Names the apps beside meetings recorded as present (visitors' sign-ups), without the
    members meetings already has."""
    names = []
    for member_id, name in parts.present(meeting):
        if member_id is None or member_id not in member_ids:
            names.append(name)
            if member_id is not None:
                member_ids.add(member_id)
    return names


def present_names(meeting: Meeting) -> list[str]:
    """Everyone recorded as present: invited and ticked, members who walked in, guests, and
    those who signed up on the open pages and came."""
    ticked = list(meeting.invitations.filter(attended=True).select_related("member"))
    walked = list(meeting.walk_ins.select_related("member"))
    member_ids = {i.member_id for i in ticked} | {w.member_id for w in walked if w.member_id}
    others = _others_present(meeting, member_ids)
    return sorted(i.member.full_name for i in ticked) + [str(w) for w in walked] + others


def present_from_parts(meeting: Meeting) -> list[str]:
    """The present that other apps recorded (not listed in the attendance table)."""
    ticked = meeting.invitations.filter(attended=True).values_list("member_id", flat=True)
    walked = meeting.walk_ins.filter(member__isnull=False).values_list("member_id", flat=True)
    return _others_present(meeting, set(ticked) | set(walked))


def attendance_count(meeting: Meeting) -> int:
    return len(present_names(meeting))


def decisions_search(
    rights: Rights, query: str = "", *, meeting_id: int | None = None
) -> QuerySet[MinutesParagraph]:
    """Decisions (a § with a decision) in the minutes of meetings the person may see."""
    rows = MinutesParagraph.objects.exclude(decision="").filter(
        meeting__in=meetings_visible_to(rights).values("pk")
    )
    if meeting_id is not None:
        rows = rows.filter(meeting_id=meeting_id)
    for word in query.split()[:8]:
        rows = rows.filter(
            Q(decision__icontains=word)
            | Q(title__icontains=word)
            | Q(meeting__title__icontains=word)
        )
    return rows.select_related("meeting").order_by("-meeting__starts_at", "meeting_id", "number")


def old_decisions_search(
    rights: Rights, query: str = "", *, meeting_id: int | None = None
) -> QuerySet[MinutesDecision]:
    """Decisions written before minutes had § (`MinutesDecision`), searched the same way."""
    rows = MinutesDecision.objects.exclude(text="").filter(
        meeting__in=meetings_visible_to(rights).values("pk")
    )
    if meeting_id is not None:
        rows = rows.filter(meeting_id=meeting_id)
    for word in query.split()[:8]:
        rows = rows.filter(Q(text__icontains=word) | Q(meeting__title__icontains=word))
    return rows.select_related("meeting").order_by(
        "-meeting__starts_at", "meeting_id", "position", "pk"
    )


@dataclass(frozen=True)
class DecisionRow:
    """One decision on the decisions page, from a § or from the older minutes."""

    anchor: str  # the row's id on the page: beslut-<paragraph id> or tidigare-beslut-<id>
    meeting: Meeting
    heading: str  # "§ 4 Valplan"; empty for older minutes, which had no §
    text: str


def decisions_found(
    rights: Rights, query: str = "", *, meeting_id: int | None = None, limit: int = 200
) -> tuple[list[DecisionRow], int]:
    """Both kinds of decision, newest meeting first, at most `limit`, and how many match."""
    paragraphs = decisions_search(rights, query, meeting_id=meeting_id)
    older = old_decisions_search(rights, query, meeting_id=meeting_id)
    rows = [
        DecisionRow(f"beslut-{p.pk}", p.meeting, f"§ {p.number} {p.title}", p.decision)
        for p in paragraphs[:limit]
    ] + [DecisionRow(f"tidigare-beslut-{d.pk}", d.meeting, "", d.text) for d in older[:limit]]
    # Stable: within a meeting each kind keeps its own order (§ number, position).
    rows.sort(key=lambda row: (-row.meeting.starts_at.timestamp(), row.meeting.pk))
    return rows[:limit], paragraphs.count() + older.count()


def mail_waiting(meeting: Meeting) -> list[MailSend]:
    """This meeting's invitations, reminders or notices waiting for a failing mail server."""
    return sends_waiting(kind_prefix="meetings.", meeting_id=meeting.pk)
