"""The decision group's rule for every combination of votes (see meetings/decision_rule.py)."""

import itertools

from hypothesis import given
from hypothesis import strategies as st

from meetings.decision_rule import Reason, decide

BODY, CHAIR, LEADER, COMMISSIONER = "ledamot", "ordforande", "gruppledare", "kommunalrad"
GROUP = frozenset({BODY, CHAIR, LEADER, COMMISSIONER})
ABSENT = "absent"
PROPOSALS = ["A", "B", "C", "D"]

# Each member: absent, abstains (None) or votes for one of up to four proposals.
choices = st.sampled_from([ABSENT, None, *PROPOSALS])
ballots = st.fixed_dictionaries({member: choices for member in sorted(GROUP)})


def cast(ballot: dict) -> dict:
    return {member: choice for member, choice in ballot.items() if choice != ABSENT}


def test_every_combination_of_four_members_and_four_proposals_follows_the_rule():
    # 6 choices ^ 4 members = 1 296 ballots: small enough to check them all, not only a sample.
    for combination in itertools.product([ABSENT, None, *PROPOSALS], repeat=4):
        check_rule(dict(zip(sorted(GROUP), combination, strict=True)))


@given(ballots)
def test_rule_holds_for_generated_ballots(ballot):
    check_rule(ballot)


def check_rule(ballot: dict) -> None:
    votes = cast(ballot)
    outcome = decide(group=GROUP, votes=votes, commissioner=COMMISSIONER)
    tally = {p: list(votes.values()).count(p) for p in PROPOSALS if p in votes.values()}
    assert outcome.tally == tally
    if len(votes) * 2 <= len(GROUP):
        assert (outcome.winner, outcome.reason) == (None, Reason.NO_QUORUM)
        return
    if not tally:
        assert (outcome.winner, outcome.reason) == (None, Reason.NO_VOTES)
        return
    most = max(tally.values())
    leaders = {p for p, n in tally.items() if n == most}
    if len(leaders) == 1:
        assert outcome.winner in leaders
        expected = Reason.UNANIMOUS if most == len(GROUP) else Reason.MAJORITY
        assert outcome.reason == expected
    elif votes.get(COMMISSIONER) in leaders:
        assert (outcome.winner, outcome.reason) == (votes[COMMISSIONER], Reason.CASTING_VOTE)
    else:
        assert (outcome.winner, outcome.reason) == (None, Reason.TIE)
    if outcome.decided:
        assert tally[outcome.winner] == most  # the winner never has fewer votes than another


@given(st.permutations(PROPOSALS[:2] * 2))
def test_two_against_two_is_decided_by_the_commissioner(order):
    votes = dict(zip(sorted(GROUP), order, strict=True))
    outcome = decide(group=GROUP, votes=votes, commissioner=COMMISSIONER)
    assert outcome.winner == votes[COMMISSIONER]
    assert outcome.reason == Reason.CASTING_VOTE


@given(ballots, st.permutations(sorted(GROUP - {COMMISSIONER})))
def test_outcome_does_not_depend_on_who_else_cast_which_vote(ballot, shuffled):
    """Members other than the kommunalråd are interchangeable."""
    others = sorted(GROUP - {COMMISSIONER})
    swapped = {new: ballot[old] for old, new in zip(others, shuffled, strict=True)}
    swapped[COMMISSIONER] = ballot[COMMISSIONER]
    first = decide(group=GROUP, votes=cast(ballot), commissioner=COMMISSIONER)
    second = decide(group=GROUP, votes=cast(swapped), commissioner=COMMISSIONER)
    assert (first.winner, first.reason) == (second.winner, second.reason)


@given(st.lists(st.sampled_from(["A", "B", None]), min_size=3, max_size=3))
def test_one_person_in_two_roles_votes_once_in_a_group_of_three(choices_of_three):
    """The kommunalråd who is also the body's ordinary member: the group is three."""
    group = frozenset({COMMISSIONER, CHAIR, LEADER})
    votes = dict(zip(sorted(group), choices_of_three, strict=True))
    outcome = decide(group=group, votes=votes, commissioner=COMMISSIONER)
    counts = [choices_of_three.count(p) for p in ("A", "B")]
    if max(counts) >= 2:
        assert outcome.reason in (Reason.MAJORITY, Reason.UNANIMOUS)
    if outcome.decided:
        assert counts[("A", "B").index(outcome.winner)] == max(counts)


@given(ballots, st.sampled_from(PROPOSALS))
def test_votes_from_outside_the_group_are_ignored(ballot, outsider_choice):
    votes = cast(ballot)
    with_outsider = {**votes, "utomstående": outsider_choice}
    assert decide(group=GROUP, votes=votes, commissioner=COMMISSIONER) == decide(
        group=GROUP, votes=with_outsider, commissioner=COMMISSIONER
    )


def test_named_edge_cases():
    def outcome(**votes):
        return decide(group=GROUP, votes=votes, commissioner=COMMISSIONER)

    # Absent member, 2-1: majority.
    assert outcome(ledamot="A", ordforande="A", gruppledare="B").reason == Reason.MAJORITY
    # Two abstain, 1-1, kommunalråd in the tie: casting vote.
    tie = outcome(ledamot="A", kommunalrad="B", ordforande=None, gruppledare=None)
    assert (tie.winner, tie.reason) == ("B", Reason.CASTING_VOTE)
    # Four proposals, one vote each: the kommunalråd decides.
    spread = outcome(ledamot="A", ordforande="B", gruppledare="C", kommunalrad="D")
    assert spread.winner == "D"
    # 2-2 with the kommunalråd absent cannot happen (only three voted), but 1-1 with the
    # kommunalråd abstaining is a tie nobody breaks.
    assert outcome(ledamot="A", ordforande="B", kommunalrad=None).reason == Reason.TIE
    # Only two of four took part: not quorate.
    assert outcome(ledamot="A", ordforande="A").reason == Reason.NO_QUORUM
