"""The decision group's rule, as a pure function (no database) so that it can be tested for
every combination of votes.

The operating plan says: unanimity is desirable; the majority decides; when the vote is
2 against 2 the kommunalråd's vote decides. Where the plan is silent we decided:

- One person, one vote. Someone holding two of the four roles (the kommunalråd is also the
  party's member in the body) votes once; the group is then three.
- Absent = did not vote. An abstention is recorded but counts for no proposal.
- Quorum: more than half of the group must take part (vote or abstain), otherwise there is
  no outcome ("inte beslutsför").
- With any number of proposals the proposal with the most votes wins (relative majority).
- A tie at the top, 2-2 or otherwise (1-1 when two abstain, 1-1-1 with three proposals), is
  broken by the kommunalråd's vote when the kommunalråd voted for one of the tied proposals.
  Otherwise there is no outcome: the matter goes on to the council group ("oavgjort").
- No votes for any proposal (everyone present abstained): no outcome.
"""

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Reason(StrEnum):
    UNANIMOUS = "enig"  # every group member voted for the same proposal
    MAJORITY = "majoritet"
    CASTING_VOTE = "utslagsrost"  # a tie broken by the kommunalråd
    TIE = "oavgjort"  # a tie the kommunalråd did not break
    NO_QUORUM = "ej-beslutsfor"
    NO_VOTES = "inga-roster"  # everyone present abstained


@dataclass(frozen=True)
class Outcome:
    winner: Hashable | None
    reason: Reason
    tally: dict  # proposal -> votes

    @property
    def decided(self) -> bool:
        return self.winner is not None


def decide(
    *,
    group: frozenset,
    votes: Mapping[Hashable, Hashable | None],
    commissioner: Hashable | None,
) -> Outcome:
    """The outcome of a matter.

    `group`: the group's members (each once); `votes`: member -> proposal, or None for an
    abstention (members who did not vote are absent); `commissioner`: the kommunalråd.
    Votes from people outside the group are ignored.
    """
    present = {member: choice for member, choice in votes.items() if member in group}
    tally = dict(Counter(choice for choice in present.values() if choice is not None))
    if len(present) * 2 <= len(group):
        return Outcome(None, Reason.NO_QUORUM, tally)
    if not tally:
        return Outcome(None, Reason.NO_VOTES, tally)
    most = max(tally.values())
    leaders = [proposal for proposal, count in tally.items() if count == most]
    if len(leaders) == 1:
        unanimous = most == len(group)
        return Outcome(leaders[0], Reason.UNANIMOUS if unanimous else Reason.MAJORITY, tally)
    casting = present.get(commissioner) if commissioner in group else None
    if casting in leaders:
        return Outcome(casting, Reason.CASTING_VOTE, tally)
    return Outcome(None, Reason.TIE, tally)
