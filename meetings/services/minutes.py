"""Minutes by paragraph (§), their justering by two justerare, and who came.

How a Swedish association does it: the meeting elects a chair, a secretary and two justerare
from those present; the secretary writes the minutes § by §; when finished, each justerare
reads them and adjusts (or comments); the minutes are valid, and locked, when both have
adjusted. Nothing of this can happen before the meeting has started.
"""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krets.attachments import attachment_add_version
from krets.audit import Action, audit_log
from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from members.models import Member, User

from .. import mail_kinds
from ..models import Adjuster, Invitation, Meeting, MinutesAttachment, MinutesParagraph, WalkIn
from .common import MeetingError

# The items every Swedish association meeting opens with; offered, and editable.
STANDARD_OPENING = (
    gettext_lazy("Mötets öppnande"),
    gettext_lazy("Val av mötesordförande"),
    gettext_lazy("Val av mötessekreterare"),
    gettext_lazy("Val av två justerare"),
    gettext_lazy("Godkännande av dagordning"),
)
STANDARD_CLOSING = gettext_lazy("Mötets avslutande")


@dataclass(frozen=True)
class ParagraphInput:
    title: str
    discussion: str = ""
    decision: str = ""


def paragraphs_offered(meeting: Meeting) -> list[str]:
    """The titles offered for a meeting whose minutes are not begun: the opening items, the
    agenda (without repeating an opening item), and the closing."""
    opening = [str(title) for title in STANDARD_OPENING]
    seen = {title.casefold() for title in opening}
    agenda = [
        item.title
        for item in meeting.agenda_items.all()
        if item.title.casefold() not in seen | {str(STANDARD_CLOSING).casefold()}
    ]
    return [*opening, *agenda, str(STANDARD_CLOSING)]


def _started(meeting: Meeting, now: datetime.datetime | None) -> bool:
    return meeting.starts_at <= (now or timezone.now())


def _require_started(meeting: Meeting, now: datetime.datetime | None) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("Mötet är inställt."))
    if not _started(meeting, now):
        raise MeetingError(_("Mötet har inte börjat än."))


def _require_writable(meeting: Meeting) -> None:
    if meeting.minutes_locked:
        raise MeetingError(_("Protokollet är justerat och kan inte ändras."))
    if meeting.minutes_finished_at is not None:
        raise MeetingError(
            _("Protokollet är skickat till justerarna. Öppna det igen för att ändra.")
        )


@transaction.atomic
def minutes_paragraphs_save(
    *,
    actor: User | None,
    meeting: Meeting,
    paragraphs: Iterable[ParagraphInput],
    ip: str | None = None,
) -> list[MinutesParagraph]:
    """Replace the minutes' paragraphs, numbered § 1, § 2 … in the order given."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_writable(meeting)
    rows = [p for p in paragraphs if p.title.strip()]
    meeting.paragraphs.all().delete()
    saved = MinutesParagraph.objects.bulk_create(
        MinutesParagraph(
            meeting=meeting,
            number=number,
            title=p.title.strip()[:200],
            discussion=p.discussion.strip(),
            decision=p.decision.strip(),
        )
        for number, p in enumerate(rows, start=1)
    )
    Meeting.objects.filter(pk=meeting.pk).update(updated_at=timezone.now())
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"protokoll:{meeting.pk}",
        detail={"step": "paragraphs", "count": len(saved)},
        ip=ip,
    )
    return saved


def present_member_ids(meeting: Meeting) -> set[int]:
    """Members recorded as present: invited and ticked, or recorded as they walked in."""
    invited = meeting.invitations.filter(attended=True).values_list("member_id", flat=True)
    walked = meeting.walk_ins.filter(member__isnull=False).values_list("member_id", flat=True)
    return set(invited) | set(walked)


@transaction.atomic
def adjusters_choose(
    *,
    actor: User | None,
    meeting: Meeting,
    members: list[Member],
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> list[Adjuster]:
    """The two justerare the meeting chose, from the members present."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_started(meeting, now)
    _require_writable(meeting)
    ids = {m.pk for m in members}
    if len(ids) != 2:
        raise MeetingError(_("Välj två olika justerare."))
    if not ids <= present_member_ids(meeting):
        raise MeetingError(_("Justerarna ska vara bland de närvarande."))
    meeting.adjusters.exclude(member_id__in=ids).delete()
    chosen = [
        Adjuster.objects.get_or_create(meeting=meeting, member_id=pk)[0] for pk in sorted(ids)
    ]
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"protokoll:{meeting.pk}",
        detail={"step": "adjusters", "members": sorted(ids)},
        ip=ip,
    )
    return chosen


@transaction.atomic
def minutes_finish(
    *,
    actor: User | None,
    meeting: Meeting,
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Meeting:
    """The secretary has finished: ask each justerare by mail to adjust."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_started(meeting, now)
    _require_writable(meeting)
    if not meeting.paragraphs.exists():
        raise MeetingError(_("Det finns inget protokoll att justera."))
    adjusters = list(meeting.adjusters.select_related("member"))
    if len(adjusters) != 2:
        raise MeetingError(_("Mötet ska ha valt två justerare."))
    moment = now or timezone.now()
    meeting.minutes_finished_at = moment
    meeting.save(update_fields=["minutes_finished_at", "updated_at"])
    Adjuster.objects.filter(pk__in=[a.pk for a in adjusters]).update(asked_at=moment)
    recipients = [
        Recipient(a.member.email, a.member_id, {"adjuster_id": a.pk})
        for a in adjusters
        if a.member.email
    ]
    if recipients:
        mail_send_start(
            kind=mail_kinds.ADJUST_REQUEST,
            key=f"{mail_kinds.ADJUST_REQUEST}:{meeting.pk}:{uuid.uuid4().hex}",
            recipients=recipients,
        )
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"protokoll:{meeting.pk}",
        detail={"step": "finished"},
        ip=ip,
    )
    return meeting


@transaction.atomic
def minutes_reopen(*, actor: User | None, meeting: Meeting, ip: str | None = None) -> Meeting:
    """Back to the secretary (after a justerare's comment): any adjusting so far is void,
    because the text it adjusted may change."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.minutes_locked:
        raise MeetingError(_("Protokollet är justerat och kan inte ändras."))
    meeting.minutes_finished_at = None
    meeting.save(update_fields=["minutes_finished_at", "updated_at"])
    meeting.adjusters.update(adjusted_at=None)
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"protokoll:{meeting.pk}",
        detail={"step": "reopened"},
        ip=ip,
    )
    return meeting


@transaction.atomic
def minutes_adjust(
    *,
    actor: User | None,
    adjuster: Adjuster,
    approve: bool,
    comment: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> Adjuster:
    """A justerare adjusts the minutes (or comments on them). `actor` is None when they act
    through the signed link in their mail. When both have adjusted, the minutes lock."""
    meeting = Meeting.objects.select_for_update().get(pk=adjuster.meeting_id)
    adjuster = Adjuster.objects.select_for_update().get(pk=adjuster.pk)
    _require_started(meeting, now)
    if meeting.minutes_locked:
        raise MeetingError(_("Protokollet är redan justerat."))
    if meeting.minutes_finished_at is None:
        raise MeetingError(_("Sekreteraren har inte skickat protokollet för justering än."))
    moment = now or timezone.now()
    if comment.strip():
        adjuster.comment = comment.strip()
        adjuster.commented_at = moment
    elif not approve:
        raise MeetingError(_("Skriv en kommentar eller justera protokollet."))
    if approve:
        adjuster.adjusted_at = moment
    adjuster.save(update_fields=["comment", "commented_at", "adjusted_at"])
    if approve and not meeting.adjusters.filter(adjusted_at__isnull=True).exists():
        if meeting.adjusters.count() == 2:
            meeting.minutes_approved_at = moment
            meeting.minutes_approved_by = actor if actor and actor.is_authenticated else None
            meeting.save(update_fields=["minutes_approved_at", "minutes_approved_by", "updated_at"])
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"protokoll:{meeting.pk}",
        detail={"step": "adjusted" if approve else "commented", "adjuster": adjuster.pk},
        actor_label="" if actor else "justeraren själv",
        ip=ip,
    )
    return adjuster


# Attendance as it happens


@transaction.atomic
def walk_in_record(
    *,
    actor: User | None,
    meeting: Meeting,
    member: Member | None = None,
    guest_name: str = "",
    ip: str | None = None,
    now: datetime.datetime | None = None,
) -> WalkIn | Invitation:
    """Someone is here: an invited member is ticked, anyone else recorded as a walk-in."""
    _require_started(meeting, now)
    if meeting.minutes_locked:
        # The adjusted protocol names those present: it must not change under the justerare.
        raise MeetingError(_("Protokollet är justerat: närvaron kan inte ändras."))
    if member is None and not guest_name.strip():
        raise MeetingError(_("Välj en medlem eller skriv gästens namn."))
    if member is not None:
        invitation = meeting.invitations.filter(member=member).first()
        if invitation is not None:
            invitation.attended = True
            invitation.save(update_fields=["attended"])
            result = invitation
        else:
            result = WalkIn.objects.get_or_create(meeting=meeting, member=member)[0]
    else:
        result = WalkIn.objects.create(meeting=meeting, guest_name=guest_name.strip()[:200])
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"närvaro {meeting}",
        detail={"step": "walk_in"},
        ip=ip,
    )
    return result


@transaction.atomic
def walk_in_remove(*, actor: User | None, walk_in: WalkIn, ip: str | None = None) -> None:
    """Undo a walk-in recorded by mistake (the wrong Nils Björk). Not a chosen justerare: the
    justerare must stay among those present."""
    meeting = walk_in.meeting
    if meeting.minutes_locked:
        # The adjusted protocol names those present: it must not change under the justerare.
        raise MeetingError(_("Protokollet är justerat: närvaron kan inte ändras."))
    if walk_in.member_id and meeting.adjusters.filter(member_id=walk_in.member_id).exists():
        raise MeetingError(
            _("%(name)s är vald till justerare och kan inte tas bort från närvaron.")
            % {"name": walk_in.member.full_name}
        )
    walk_in.delete()
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"närvaro {meeting}",
        detail={"step": "walk_in_removed"},
        ip=ip,
    )


# Attachments


@transaction.atomic
def attachment_add(
    *, actor: User | None, meeting: Meeting, upload, ip: str | None = None
) -> MinutesAttachment:
    """Attach a file to the minutes, its type judged by content; the same name again is the
    next version (earlier versions kept). Not once the minutes are locked."""
    if meeting.minutes_locked:
        raise MeetingError(_("Protokollet är justerat och kan inte ändras."))
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    attachment = attachment_add_version(
        MinutesAttachment,
        owner_field="meeting",
        owner=meeting,
        upload=upload,
        uploaded_by=actor if actor and actor.is_authenticated else None,
    )
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"protokoll:{meeting.pk}",
        detail={"step": "attachment", "attachment": attachment.pk},
        ip=ip,
    )
    return attachment
