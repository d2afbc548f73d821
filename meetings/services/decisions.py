"""The decision group: raising a matter, votes, and closing the vote with its outcome."""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import Member, PoliticalBody, User

from .. import decision_rule, selectors
from ..models import (
    GroupSeat,
    Matter,
    Meeting,
    Proposal,
    Vote,
)
from .common import MeetingError

# The decision group


@transaction.atomic
def matter_raise(
    *,
    actor: User | None,
    title: str,
    body: PoliticalBody,
    proposals: Iterable[str],
    description: str = "",
    meeting: Meeting | None = None,
    day: datetime.date | None = None,
    among: QuerySet[Member] | None = None,
    ip: str | None = None,
) -> Matter:
    """A new matter; its group is fixed now by the rule, so later role changes do not move
    votes already cast. `among` limits the group to those members (the demo seats only its own
    people beside a real chapter's)."""
    texts = [text.strip() for text in proposals if text.strip()]
    if len(texts) < 1:
        raise MeetingError(_("Ett ärende behöver minst ett förslag."))
    seats = selectors.decision_group_for(body, day or timezone.localdate())
    if among is not None:
        allowed = set(
            among.filter(pk__in=[s.member.pk for s in seats]).values_list("pk", flat=True)
        )
        seats = [seat for seat in seats if seat.member.pk in allowed]
    if not seats:
        raise MeetingError(_("Beslutsgruppen kan inte sättas samman för det organet."))
    matter = Matter.objects.create(title=title, body=body, description=description, meeting=meeting)
    GroupSeat.objects.bulk_create(
        GroupSeat(matter=matter, member=seat.member, roles=list(seat.roles)) for seat in seats
    )
    Proposal.objects.bulk_create(Proposal(matter=matter, text=text) for text in texts)
    return matter


def vote_cast(
    *,
    actor: User | None,
    matter: Matter,
    member: Member,
    proposal: Proposal | None,
    ip: str | None = None,
) -> Vote:
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
def matter_close(*, actor: User | None, matter: Matter, ip: str | None = None) -> Matter:
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
