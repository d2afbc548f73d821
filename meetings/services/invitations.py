"""Invitations, replies, attendance and a training's participants."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krets.audit import Action, audit_log
from members.models import Member, User

from .. import selectors
from ..models import (
    Invitation,
    Meeting,
)
from .common import MeetingError

# Invitations, replies and attendance


def invitations_send(*, actor: User | None, meeting: Meeting, ip: str | None = None) -> int:
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
    from ..tasks import send_invitations  # tasks import services: import here, not above

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
    meeting.invitations.update(attended=False)
    meeting.invitations.filter(pk__in=attended_ids).update(attended=True)
    audit_log(actor=actor, action=Action.MEMBER_CHANGED, target=f"närvaro {meeting}", ip=ip)


def attendance_view_record(*, actor: User, meeting: Meeting, ip: str | None = None) -> None:
    """The audit entry for looking at who came (names of members)."""
    audit_log(actor=actor, action=Action.MEMBER_VIEWED, target=f"närvaro {meeting}", ip=ip)


@transaction.atomic
def participant_register(
    *, actor: User | None, meeting: Meeting, member: Member, ip: str | None = None
) -> Invitation:
    if not meeting.is_training:
        raise MeetingError(_("Bara utbildningar har anmälda deltagare."))
    invitation, _created = Invitation.objects.get_or_create(meeting=meeting, member=member)
    audit_log(actor=actor, action=Action.MEMBER_CHANGED, target=f"deltagare {meeting}", ip=ip)
    return invitation


def participants_view_record(*, actor: User, meeting: Meeting, ip: str | None = None) -> None:
    """The audit entry for looking at a training's participant list."""
    audit_log(actor=actor, action=Action.MEMBER_VIEWED, target=f"deltagare {meeting}", ip=ip)


def participants_export_record(
    *, actor: User, meeting: Meeting, rows: int, ip: str | None = None
) -> None:
    """The audit entry for taking the participant list out of the portal (the CSV)."""
    audit_log(
        actor=actor,
        action=Action.MEMBERS_EXPORTED,
        target=f"deltagare {meeting}",
        detail={"meeting": meeting.pk, "rows": rows},
        ip=ip,
    )
