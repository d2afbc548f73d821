"""Invitations and their reminders, replies, attendance and a training's participants."""

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from krets.mail.kinds import Recipient
from krets.mail.models import Delivery
from krets.mail.services import mail_send_start
from krets.models import AuditEvent
from members.models import Member, User

from .. import mail_kinds, parts, selectors
from ..models import (
    Invitation,
    Meeting,
)
from .common import MeetingError

# Invitations, replies and attendance


@transaction.atomic
def invitations_send(*, actor: User | None, meeting: Meeting, ip: str | None = None) -> int:
    """Invite everyone the kind says; each person once. The engine mails them after commit.
    Returns how many people the invitation is mailed to now."""
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
    pending = Invitation.objects.filter(meeting=meeting, sent_at__isnull=True)
    return _claim_and_mail(pending, field="sent_at", kind=mail_kinds.INVITATION, actor=actor)


@transaction.atomic
def invitation_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """The hourly job: remind those invited to meetings soon, each once. Safe to run twice."""
    due = Invitation.objects.filter(pk__in=selectors.reminders_due(now), reminded_at__isnull=True)
    return _claim_and_mail(due, field="reminded_at", kind=mail_kinds.REMINDER)


def _claim_and_mail(invitations, *, field: str, kind: str, actor: User | None = None) -> int:
    """Mark the invitations mailed (`sent_at` or `reminded_at`) and hand them to the engine in
    one transaction; returns how many people the mail goes to. The rows are locked first: a
    second run waits, then finds them taken, so running twice sends nothing twice."""
    claimed = list(
        invitations.select_for_update(of=("self",))
        .filter(**{f"{field}__isnull": True})
        .select_related("member")
        .order_by("pk")
    )
    if not claimed:
        return 0
    Invitation.objects.filter(pk__in=[i.pk for i in claimed]).update(**{field: timezone.now()})
    by_meeting: dict[int, list[Invitation]] = {}
    for invitation in claimed:
        by_meeting.setdefault(invitation.meeting_id, []).append(invitation)
    mailed = 0
    # One send per meeting: the send's params name the meeting, which its kind reads (is it
    # open to all, so that the member's choice about such invitations counts?).
    for meeting_id, invitations in by_meeting.items():
        recipients = [
            Recipient(i.member.email, i.member_id, {"invitation_id": i.pk})
            for i in invitations
            if i.member.email
        ]
        if not recipients:
            continue
        send = mail_send_start(
            kind=kind,
            key=f"{kind}:{meeting_id}:{uuid.uuid4().hex}",
            recipients=recipients,
            params={"meeting_id": meeting_id},
            started_by=actor,
        )
        # Counted from the rows just written, inside this transaction: the chunks are queued
        # on commit, so no backend (eager in-process or a worker) has touched them yet, and a
        # suppressed address (skipped at once) is not counted as mailed.
        mailed += send.deliveries.filter(state=Delivery.State.PENDING).count()
    return mailed


# What a notice is about: the time (start or end), the place (address, district, video link),
# or the meeting being cancelled.
TIME_FIELDS = frozenset({"starts_at", "ends_at"})
PLACE_FIELDS = frozenset({"address", "district", "district_id", "video_url"})


def meeting_notices_send(
    *, meeting: Meeting, changed: set[str], before: dict, actor: User | None = None
) -> int:
    """Tell everyone already invited and not declined that the meeting moved or is cancelled.

    Called by meeting_update inside its transaction, after the SEQUENCE rose. Once per change:
    the send's key is the meeting and its SEQUENCE, so a retried call finds the first send, and
    a save that changed nothing raised no SEQUENCE and comes with nothing in `changed`.
    Returns how many were given to the engine (0 when nothing worth a notice changed)."""
    changes = []
    if "status" in changed and meeting.status == Meeting.Status.CANCELLED:
        changes.append("cancelled")
    if changed & TIME_FIELDS:
        changes.append("time")
    if changed & PLACE_FIELDS:
        changes.append("place")
    if not changes:
        return 0
    invited = (
        Invitation.objects.filter(meeting=meeting, sent_at__isnull=False)
        .exclude(reply=Invitation.Reply.NO)
        .exclude(member__email="")
        .select_related("member")
        .order_by("pk")
    )
    recipients = [Recipient(i.member.email, i.member_id, {"invitation_id": i.pk}) for i in invited]
    # Apps above (visitors' sign-ups) tell their own people, skipping whom this notice mails.
    parts.meeting_changed(
        parts.Change(
            meeting=meeting,
            changes=tuple(changes),
            before=before,
            notified_member_ids=frozenset(r.member_id for r in recipients),
            notified_emails=frozenset(r.email.lower() for r in recipients),
            actor=actor,
        )
    )
    if not recipients:
        return 0
    mail_send_start(
        kind=mail_kinds.NOTICE,
        key=f"{mail_kinds.NOTICE}:{meeting.pk}:{meeting.sequence}",
        recipients=recipients,
        params={"meeting_id": meeting.pk, "changes": changes, "before": before},
        started_by=actor,
    )
    return len(recipients)


def invitation_reply(
    *, actor: User | None, invitation: Invitation, coming: bool, ip: str | None = None
) -> Invitation:
    """Coming or not; `actor` is None when the member answers through the invitation's link."""
    if invitation.meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("Mötet är inställt."))
    invitation.reply = Invitation.Reply.YES if coming else Invitation.Reply.NO
    invitation.replied_at = timezone.now()
    invitation.save(update_fields=["reply", "replied_at"])
    return invitation


@transaction.atomic
def attendance_record(
    *, actor: User | None, meeting: Meeting, attended_ids: set[int], ip: str | None = None
) -> None:
    """Tick who came; only once the meeting has started (nobody attends a meeting ahead)."""
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("Närvaro kan registreras först när mötet har börjat."))
    if meeting.minutes_locked:
        # The adjusted protocol names those present: it must not change under the justerare.
        raise MeetingError(_("Protokollet är justerat: närvaron kan inte ändras."))
    meeting.invitations.update(attended=False)
    meeting.invitations.filter(pk__in=attended_ids).update(attended=True)
    audit_log(actor=actor, action=Action.MEMBER_CHANGED, target=f"närvaro {meeting}", ip=ip)


@transaction.atomic
def participant_register(
    *, actor: User | None, meeting: Meeting, member: Member, ip: str | None = None
) -> Invitation:
    if not meeting.is_training:
        raise MeetingError(_("Bara utbildningar har anmälda deltagare."))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, member=member)
    audit_log(
        actor=actor,
        action=Action.MEMBER_CHANGED,
        target=f"deltagare {meeting}",
        detail={"meeting": meeting.pk, "member": member.pk, "participant": "added"},
        ip=ip,
    )
    return invitation


def participant_attempt_refused(*, actor: User, meeting: Meeting, ip: str | None = None) -> int:
    """An address the participant form could not add (no member, or a former one). The address
    is not logged (it may be anyone's, and the log keeps no text about people); the actor's
    count of such attempts that day is, so that someone probing addresses stands out in the
    log. Returns that count."""
    attempts = (
        AuditEvent.objects.filter(
            actor=actor, action=Action.MEMBER_LOOKUP_FAILED, at__date=timezone.localdate()
        ).count()
        + 1
    )
    audit_log(
        actor=actor,
        action=Action.MEMBER_LOOKUP_FAILED,
        target=f"meeting:{meeting.pk}",
        detail={"meeting": meeting.pk, "attempts_today": attempts},
        ip=ip,
    )
    return attempts
