"""Writes about meetings; every business rule of the app lives here.

A service that acts for a person takes the acting user (`actor`; None for the system's own
jobs and for a member answering through a signed link) and the client's address (`ip`), and
writes its own audit entry where the portal logs the action; none takes a request. A write
that changes several rows runs in one transaction. A refused write raises MeetingError (a
krets.errors.Invalid) with a message for the user.

The services are split by job (common, schedule, invitations, decisions, kit, feeds); callers
use them through this package: `from meetings import services; services.meeting_create(...)`.
"""

from .common import (
    BOARD_MEETING_TIME,
    CALENDAR_FIELDS,
    CHAPTER_MEETING_TIME,
    COUNCIL_GROUP_TIME,
    STOCKHOLM,
    MeetingError,
    local,
)
from .decisions import REASON_TEXT, matter_close, matter_raise, vote_cast
from .feeds import feed_for, feed_revoke
from .invitations import (
    attendance_record,
    invitation_reminders_send,
    invitation_reply,
    invitations_send,
    meeting_notices_send,
    participant_attempt_refused,
    participant_register,
)
from .kit import KitUnavailable, kit_book, kit_booking_cancel
from .minutes import (
    STANDARD_OPENING,
    ParagraphInput,
    adjusters_choose,
    attachment_add,
    minutes_adjust,
    minutes_finish,
    minutes_paragraphs_save,
    minutes_reopen,
    paragraphs_offered,
    present_member_ids,
    walk_in_record,
    walk_in_remove,
)
from .schedule import (
    CouncilEntered,
    agenda_set,
    council_dates_enter,
    council_group_title,
    council_meeting_add,
    council_meeting_enter,
    meeting_create,
    meeting_set_status,
    meeting_update,
    minutes_write,
    year_plan_decide,
    year_plan_propose,
)

__all__ = [
    "BOARD_MEETING_TIME",
    "CALENDAR_FIELDS",
    "CHAPTER_MEETING_TIME",
    "COUNCIL_GROUP_TIME",
    "REASON_TEXT",
    "STOCKHOLM",
    "KitUnavailable",
    "MeetingError",
    "CouncilEntered",
    "agenda_set",
    "attendance_record",
    "council_dates_enter",
    "council_group_title",
    "council_meeting_add",
    "council_meeting_enter",
    "feed_for",
    "feed_revoke",
    "invitation_reminders_send",
    "invitation_reply",
    "invitations_send",
    "meeting_notices_send",
    "kit_book",
    "kit_booking_cancel",
    "local",
    "matter_close",
    "matter_raise",
    "meeting_create",
    "meeting_set_status",
    "meeting_update",
    "STANDARD_OPENING",
    "ParagraphInput",
    "adjusters_choose",
    "attachment_add",
    "minutes_adjust",
    "minutes_finish",
    "minutes_paragraphs_save",
    "minutes_reopen",
    "paragraphs_offered",
    "present_member_ids",
    "walk_in_record",
    "walk_in_remove",
    "minutes_write",
    "participant_attempt_refused",
    "participant_register",
    "vote_cast",
    "year_plan_decide",
    "year_plan_propose",
]
