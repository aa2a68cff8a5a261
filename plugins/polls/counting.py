"""Counting methods: pure functions from ballots to a result, with no database and no words.

Each method takes ``options`` (the option keys in the order the poll lists them) and
``ballots`` (one per voter, already checked by the service), and returns a ``Result``.
Ballot kinds:

``choice``   a list of chosen option keys (single choice, multiple choice, approval)
``ranking``  a list of option keys, most preferred first; options left out rank below every
             ranked one and equal among themselves
``grades``   a dict {option key: grade}, grade 0 being the best ("excellent") and
             ``len(GRADES) - 1`` the worst ("to reject"); an option left ungraded counts as
             "to reject", as Balinski and Laraki advise

Ties are never settled at random, so that anyone can recount and find the same result. Each
method documents its own tie-break; when every rule is exhausted, the option listed first on
the poll comes first, and ``Result.tied`` names the options that were level for first place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

Option = Hashable

GRADES = ("excellent", "very_good", "good", "fairly_good", "passable", "insufficient",
          "to_reject")


@dataclass
class Result:
    """What a count found.

    ``ranking``  every option, best first, ties broken
    ``tied``     the options level for first place before the last-resort tie-break
                 (empty when one option won outright)
    ``scores``   the figure shown for each option (votes, last-round votes, options beaten...)
    ``ballots``  how many ballots were counted
    The other fields are filled by the methods they belong to.
    """

    ranking: list
    scores: dict
    ballots: int
    tied: list = field(default_factory=list)
    rounds: list = field(default_factory=list)  # instant runoff: {option: votes} per round
    exhausted: list = field(default_factory=list)  # instant runoff: ballots out, per round
    eliminated: list = field(default_factory=list)  # instant runoff: option out, per round
    pairwise: dict = field(default_factory=dict)  # Schulze: {(a, b): voters preferring a to b}
    strongest: dict = field(default_factory=dict)  # Schulze: {(a, b): strongest path a to b}
    profiles: dict = field(default_factory=dict)  # majority judgment: {option: [count per grade]}
    majority_grades: dict = field(default_factory=dict)  # majority judgment: {option: grade}

    @property
    def winner(self) -> Any:
        return self.ranking[0] if self.ranking else None


def _top_tie(ranking: list, value) -> list:
    """The options sharing the first option's ``value``, when there are several."""
    if not ranking:
        return []
    level = [option for option in ranking if value(option) == value(ranking[0])]
    return level if len(level) > 1 else []


def plurality(options: Sequence[Option], ballots: Sequence[Sequence[Option]]) -> Result:
    """One vote for each option a ballot chooses; most votes first.

    Serves single choice, multiple choice and approval alike. Equal counts keep the poll's
    order of options.
    """
    position = {option: index for index, option in enumerate(options)}
    scores = {option: 0 for option in options}
    for ballot in ballots:
        for option in set(ballot):
            if option in scores:
                scores[option] += 1
    ranking = sorted(options, key=lambda option: (-scores[option], position[option]))
    return Result(ranking=ranking, scores=scores, ballots=len(ballots),
                  tied=_top_tie(ranking, scores.get) if ballots else [])


def instant_runoff(options: Sequence[Option], ballots: Sequence[Sequence[Option]]) -> Result:
    """Instant runoff: count first preferences among the options still in; an option with
    more than half of the ballots still counting wins; otherwise the option with fewest votes
    is eliminated and its ballots pass to their next preference still in.

    Tie for fewest votes: the option that had fewer votes in the latest earlier round where
    the tied options differed is eliminated; if they were level in every round, the one listed
    last on the poll. When one option is left it wins without a further round. The ranking
    is the winner, then the others of the last round by their votes, then the others from
    last eliminated to first eliminated. ``scores`` holds each option's votes in the last
    round it took part in; ``tied`` the options level at the top of the last round.
    """
    position = {option: index for index, option in enumerate(options)}
    piles = Counter(
        tuple(option for option in ballot if option in position) for ballot in ballots
    )
    continuing = list(options)
    rounds: list[dict] = []
    exhausted: list[int] = []
    eliminated: list = []
    scores: dict = {}
    winner = None
    while continuing:
        tally = {option: 0 for option in continuing}
        out = 0
        for ranked, count in piles.items():
            choice = next((option for option in ranked if option in tally), None)
            if choice is None:
                out += count
            else:
                tally[choice] += count
        rounds.append(tally)
        exhausted.append(out)
        scores.update(tally)
        counting = sum(tally.values())
        leader = max(continuing, key=lambda option: (tally[option], -position[option]))
        if len(continuing) == 1 or tally[leader] * 2 > counting:
            winner = leader
            break
        fewest = min(tally.values())
        level = [option for option in continuing if tally[option] == fewest]
        loser = _runoff_loser(level, rounds[:-1], position)
        eliminated.append(loser)
        continuing.remove(loser)
        if len(continuing) == 1:
            winner = continuing[0]
            break
    final = rounds[-1] if rounds else {}
    ranking = sorted(final, key=lambda option: (option != winner, -final[option],
                                                option in eliminated, position[option]))
    ranking += [option for option in reversed(eliminated) if option not in final]
    return Result(ranking=ranking, scores=scores, ballots=len(ballots),
                  tied=_top_tie([o for o in ranking if o in final], final.get) if ballots else [],
                  rounds=rounds, exhausted=exhausted, eliminated=eliminated)


def _runoff_loser(level: list, earlier: list[dict], position: dict):
    for tally in reversed(earlier):
        fewest = min(tally[option] for option in level)
        narrower = [option for option in level if tally[option] == fewest]
        if len(narrower) == 1:
            return narrower[0]
        level = narrower
    return max(level, key=position.__getitem__)


def schulze(options: Sequence[Option], ballots: Sequence[Sequence[Option]]) -> Result:
    """The Schulze method (Condorcet): from the number of voters preferring each option to
    each other, the strength of the strongest path between every pair (widest paths); an
    option beats another when its strongest path to it is stronger than the way back.

    The ranking takes the options no remaining option beats, then repeats with the rest;
    options in the same layer keep the poll's order. ``scores`` is the number of options each
    one beats.
    """
    position = {option: index for index, option in enumerate(options)}
    pairwise = {(a, b): 0 for a in options for b in options if a != b}
    for ranked, count in Counter(tuple(b) for b in ballots).items():
        ranked = [option for option in dict.fromkeys(ranked) if option in position]
        unranked = [option for option in options if option not in set(ranked)]
        for index, better in enumerate(ranked):
            for worse in ranked[index + 1:] + unranked:
                pairwise[better, worse] += count
    strongest = {
        (a, b): pairwise[a, b] if pairwise[a, b] > pairwise[b, a] else 0
        for (a, b) in pairwise
    }
    for via in options:
        for a in options:
            if a == via:
                continue
            for b in options:
                if b in (a, via):
                    continue
                through = min(strongest[a, via], strongest[via, b])
                strongest[a, b] = max(strongest[a, b], through)

    def beats(a, b) -> bool:
        return strongest[a, b] > strongest[b, a]

    scores = {a: sum(1 for b in options if b != a and beats(a, b)) for a in options}
    remaining = list(options)
    ranking: list = []
    tied: list = []
    while remaining:
        layer = [a for a in remaining if not any(beats(b, a) for b in remaining if b != a)]
        if not layer:  # cannot happen (the relation is transitive); keep the order if it does
            layer = list(remaining)
        layer.sort(key=position.__getitem__)
        if not ranking and len(layer) > 1 and ballots:
            tied = list(layer)
        ranking += layer
        remaining = [a for a in remaining if a not in layer]
    return Result(ranking=ranking, scores=scores, ballots=len(ballots), tied=tied,
                  pairwise=pairwise, strongest=strongest)


def grade_profile(grades: Sequence[int], size: int = len(GRADES)) -> list[int]:
    counts = [0] * size
    for grade in grades:
        counts[grade] += 1
    return counts


def majority_grade(counts: Sequence[int]) -> int | None:
    """The lower median grade: a majority gives it or better, a majority gives it or worse."""
    total = sum(counts)
    if not total:
        return None
    middle = total // 2  # 0-based place of the lower median among grades sorted best first
    seen = 0
    for grade, count in enumerate(counts):
        seen += count
        if seen > middle:
            return grade
    return None


def majority_value(counts: Sequence[int]) -> tuple[int, ...]:
    """Balinski and Laraki's majority value: the majority grade, then the majority grade once
    one such grade is set aside, and so on until no grade is left. Two options compare by
    these sequences, the first difference deciding (a lower number is a better grade)."""
    counts = list(counts)
    sequence = []
    for _ in range(sum(counts)):
        grade = majority_grade(counts)
        sequence.append(grade)
        counts[grade] -= 1
    return tuple(sequence)


def majority_judgment(options: Sequence[Option], ballots: Sequence[dict]) -> Result:
    """Majority judgment (Balinski and Laraki): each option's majority grade, the lower median
    of the grades it received; options with the same majority grade are ranked by their
    majority values. Options whose grades are exactly alike keep the poll's order.
    ``scores`` is the majority grade of each option (0 = excellent), ``profiles`` the number
    of each grade.
    """
    position = {option: index for index, option in enumerate(options)}
    worst = len(GRADES) - 1
    profiles = {
        option: grade_profile([min(max(ballot.get(option, worst), 0), worst) for ballot in ballots])
        for option in options
    }
    values = {option: majority_value(profiles[option]) for option in options}
    ranking = sorted(options, key=lambda option: (values[option], position[option]))
    grades = {option: majority_grade(profiles[option]) for option in options}
    return Result(ranking=ranking, scores=dict(grades), ballots=len(ballots),
                  tied=_top_tie(ranking, values.get) if ballots else [],
                  profiles=profiles, majority_grades=grades)
