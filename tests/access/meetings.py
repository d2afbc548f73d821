"""Meetings: open meetings and feeds are public; the board reads; sekreterare and ordförande
change meetings, utbildningsansvarig trainings; the kit for the board and assignments."""

import datetime

from django.utils import timezone

from meetings import services
from meetings.ical import meeting_ics_token
from meetings.mail_kinds import MEETING_ADJUST
from meetings.models import Adjuster, CalendarFeed, Kind
from members.tokens import MEETING_REPLY, OPEN_MEETINGS_UNSUBSCRIBE, member_token
from tests.factories import MemberFactory, UserFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory, matter_with_group

from . import ASSIGNMENT, BOARD, EVERYONE, SIGNED_IN, Access, F, only

NONE = frozenset()
MEETING_WRITERS = only(F.CHAIR, F.SECRETARY)
TRAINING_WRITERS = only(F.CHAIR, F.TRAINING)
NAMES_READERS = only(F.CHAIR, F.VICE_CHAIR, F.TREASURER, F.SECRETARY, F.MEMBERSHIP)
KIT = BOARD | {ASSIGNMENT}


def open_meeting() -> dict:
    return {"pk": MeetingFactory().pk}


def training() -> dict:
    return {"pk": MeetingFactory(kind=Kind.POLITICIANS_SCHOOL, topic="politik").pk}


def reply_link() -> dict:
    invitation = InvitationFactory()
    token = member_token(invitation.member_id, MEETING_REPLY, extra=str(invitation.meeting_id))
    return {"pk": invitation.meeting_id, "token": token}


def calendar_link() -> dict:
    """The signed `.ics` link a mail gives an invited person, here for a board meeting."""
    invitation = InvitationFactory(meeting=MeetingFactory(kind=Kind.BOARD))
    token = meeting_ics_token(invitation.meeting, invitation.member_id)
    return {"pk": invitation.meeting_id, "token": token}


def adjust_link() -> dict:
    """The justering link a justerare gets by mail."""
    meeting = MeetingFactory()
    adjuster = Adjuster.objects.create(meeting=meeting, member=MemberFactory())
    token = member_token(adjuster.member_id, MEETING_ADJUST, extra=str(meeting.pk))
    return {"pk": meeting.pk, "token": token}


def minutes_attachment() -> dict:
    """A PDF attached to a meeting's minutes (stored under PRIVATE_MEDIA_ROOT)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    meeting = MeetingFactory()
    attachment = services.attachment_add(
        actor=None, meeting=meeting, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")
    )
    return {"pk": meeting.pk, "attachment_pk": attachment.pk}


def kit_booking() -> dict:
    start = timezone.now() + datetime.timedelta(days=30)
    booking = services.kit_book(
        actor=None,
        member=MemberFactory(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    return {"pk": booking.pk}


def this_month() -> dict:
    today = timezone.localdate()
    return {"year": today.year, "month": today.month}


RULES = {
    "meetings:index": Access(SIGNED_IN),
    "meetings:month": Access(SIGNED_IN, kwargs=this_month),
    "meetings:feed": Access(EVERYONE),
    "meetings:feeds": Access(SIGNED_IN),
    "meetings:private_feed": Access(
        EVERYONE, kwargs=lambda: {"token": CalendarFeed.objects.create(user=UserFactory()).token}
    ),
    "meetings:create": Access(MEETING_WRITERS),
    "meetings:training_create": Access(TRAINING_WRITERS),
    "meetings:detail": Access(EVERYONE, kwargs=open_meeting),
    "meetings:ics": Access(EVERYONE, kwargs=open_meeting),
    "meetings:signed_ics": Access(EVERYONE, kwargs=calendar_link),
    "meetings:edit": Access(MEETING_WRITERS, kwargs=open_meeting),
    "meetings:status": Access(MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting),
    "meetings:invite": Access(MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting),
    "meetings:minutes": Access(BOARD, kwargs=open_meeting),
    "meetings:minutes_adjusters": Access(
        MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting
    ),
    "meetings:minutes_finish": Access(MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting),
    "meetings:minutes_reopen": Access(MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting),
    "meetings:minutes_pdf": Access(BOARD, kwargs=open_meeting),
    # Only the meeting's justerare adjust; nobody in the sweep is one. The link opens for anyone
    # holding it (it names the justerare).
    "meetings:adjust_signed_in": Access(NONE, kwargs=open_meeting),
    "meetings:adjust": Access(EVERYONE, kwargs=adjust_link),
    "meetings:decisions": Access(BOARD | {ASSIGNMENT}),
    "meetings:attachment_upload": Access(
        MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting
    ),
    "meetings:attachment_download": Access(BOARD, kwargs=minutes_attachment),
    "meetings:records_held": Access(BOARD, query="?fran=2026-01-01&till=2026-12-31&typ=utbildning"),
    "meetings:records_attended": Access(NAMES_READERS, query="?fran=2026-01-01&till=2026-12-31"),
    "meetings:walk_in": Access(MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting),
    "meetings:walk_in_remove": Access(MEETING_WRITERS, method="post", ok=302, kwargs=open_meeting),
    "meetings:attendance": Access(NAMES_READERS, kwargs=open_meeting),
    "meetings:participants": Access(TRAINING_WRITERS, kwargs=training),
    "meetings:participants_csv": Access(TRAINING_WRITERS, kwargs=training),
    "meetings:reply": Access(EVERYONE, kwargs=reply_link),
    # One-click unsubscribe from invitations to open meetings: the signed token, no login.
    "meetings:unsubscribe": Access(
        EVERYONE,
        kwargs=lambda: {"token": member_token(MemberFactory().pk, OPEN_MEETINGS_UNSUBSCRIBE)},
    ),
    "meetings:plan": Access(BOARD, kwargs=lambda: {"year": 2023}),
    "meetings:plan_decide": Access(
        MEETING_WRITERS, method="post", ok=302, kwargs=lambda: {"year": 2023}
    ),
    "meetings:council": Access(BOARD),
    "meetings:matters": Access(KIT),
    "meetings:matter_create": Access(KIT),
    "meetings:matter": Access(BOARD, kwargs=lambda: {"pk": matter_with_group().pk}),
    # Only the matter's own group votes and closes; nobody in the sweep is in it.
    "meetings:matter_vote": Access(
        NONE, method="post", kwargs=lambda: {"pk": matter_with_group().pk}
    ),
    "meetings:matter_close": Access(
        NONE, method="post", kwargs=lambda: {"pk": matter_with_group().pk}
    ),
    "meetings:kit": Access(KIT),
    # Someone else's booking: only the sekreterare and the ordförande may cancel it.
    "meetings:kit_cancel": Access(MEETING_WRITERS, method="post", ok=302, kwargs=kit_booking),
}
