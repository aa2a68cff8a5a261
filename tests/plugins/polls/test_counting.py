"""The counting methods against worked examples, ties included."""

from plugins.polls.counting import (
    GRADES,
    instant_runoff,
    majority_grade,
    majority_judgment,
    majority_value,
    plurality,
    schulze,
)


def profile(*groups):
    """Ballots from (count, ballot) pairs."""
    return [list(ballot) if not isinstance(ballot, dict) else dict(ballot)
            for count, ballot in groups for _ in range(count)]


# The Tennessee capital example used to explain preferential voting: the state's voters live
# around four cities and prefer the nearest, then the others by distance (per hundred voters).
TENNESSEE = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
TENNESSEE_BALLOTS = profile(
    (42, ["Memphis", "Nashville", "Chattanooga", "Knoxville"]),
    (26, ["Nashville", "Chattanooga", "Knoxville", "Memphis"]),
    (15, ["Chattanooga", "Knoxville", "Nashville", "Memphis"]),
    (17, ["Knoxville", "Chattanooga", "Nashville", "Memphis"]),
)


class TestPlurality:
    def test_counts_each_chosen_option_once(self):
        result = plurality(["a", "b", "c"], [["a"], ["a", "b"], ["b", "a"], ["c"], ["a", "a"]])
        assert result.scores == {"a": 4, "b": 2, "c": 1}
        assert result.ranking == ["a", "b", "c"]
        assert result.winner == "a" and result.tied == [] and result.ballots == 5

    def test_tennessee_first_preferences_elect_memphis(self):
        result = plurality(TENNESSEE, [ballot[:1] for ballot in TENNESSEE_BALLOTS])
        assert result.scores == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15,
                                 "Knoxville": 17}
        assert result.ranking == ["Memphis", "Nashville", "Knoxville", "Chattanooga"]

    def test_a_tie_is_reported_and_the_poll_order_decides(self):
        result = plurality(["a", "b", "c"], [["c"], ["b"], ["c"], ["b"], ["a"]])
        assert result.tied == ["b", "c"]
        assert result.ranking == ["b", "c", "a"]

    def test_no_ballots_no_tie(self):
        result = plurality(["a", "b"], [])
        assert result.tied == [] and result.scores == {"a": 0, "b": 0} and result.ballots == 0

    def test_unknown_options_are_ignored(self):
        assert plurality(["a"], [["a", "z"]]).scores == {"a": 1}


class TestInstantRunoff:
    def test_tennessee_elects_knoxville_in_three_rounds(self):
        result = instant_runoff(TENNESSEE, TENNESSEE_BALLOTS)
        assert result.rounds == [
            {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17},
            {"Memphis": 42, "Nashville": 26, "Knoxville": 32},
            {"Memphis": 42, "Knoxville": 58},
        ]
        assert result.eliminated == ["Chattanooga", "Nashville"]
        assert result.winner == "Knoxville"
        assert result.ranking == ["Knoxville", "Memphis", "Nashville", "Chattanooga"]
        assert result.scores == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15,
                                 "Knoxville": 58}
        assert result.tied == [] and result.exhausted == [0, 0, 0]

    def test_a_first_round_majority_ends_the_count(self):
        result = instant_runoff(["a", "b", "c"], profile((3, "ab"), (2, "bc")))
        assert result.winner == "a" and len(result.rounds) == 1

    def test_exhausted_ballots_leave_the_majority_threshold(self):
        # Round 1: a 3, b 2, c 2; b and c tie for last with no earlier round: c, listed last,
        # goes. Its two ballots rank nothing else, so 5 ballots still count in round 2, and
        # a's 3 are a majority of them though not of the 7 cast.
        ballots = profile((3, "a"), (1, "b"), (2, "c"), (1, "ba"))
        result = instant_runoff(["a", "b", "c"], ballots)
        assert result.rounds[0] == {"a": 3, "b": 2, "c": 2}
        assert result.exhausted == [0, 2]
        assert result.rounds[1] == {"a": 3, "b": 2}
        assert result.winner == "a"

    def test_a_tie_for_last_with_no_earlier_round_removes_the_option_listed_last(self):
        # Round 1: a 4, b 3, c 2, d 2: d goes (listed after c). Round 2: d's ballots go to
        # c: a 4, b 3, c 4; b goes. Round 3: b's ballots go to c: c 7 against a 4.
        ballots = profile((4, "a"), (3, "bc"), (2, "c"), (2, "dc"))
        result = instant_runoff(["a", "b", "c", "d"], ballots)
        assert result.eliminated == ["d", "b"]
        assert result.winner == "c"
        assert result.ranking == ["c", "a", "b", "d"]

    def test_backward_tie_break_uses_the_latest_round_where_they_differed(self):
        # Round 1: a 5, b 4, c 3, d 3: d goes (level with c, listed last). Round 2: d's
        # ballots give b 1 and c 2: a, b and c all have 5. Round 1 tells them apart
        # (c had fewest), so c goes. Round 3: c's ballots "ca" go to a, "dc" run out.
        ballots = profile((5, "a"), (4, "b"), (3, "ca"), (1, "db"), (2, "dc"))
        result = instant_runoff(["a", "b", "c", "d"], ballots)
        assert result.rounds[1] == {"a": 5, "b": 5, "c": 5}
        assert result.eliminated == ["d", "c"]
        assert result.rounds[2] == {"a": 8, "b": 5}
        assert result.exhausted == [0, 0, 2]
        assert result.winner == "a"

    def test_an_even_split_is_a_tie_settled_by_the_poll_order(self):
        result = instant_runoff(["a", "b"], profile((2, "a"), (2, "b")))
        assert result.tied == ["a", "b"]
        assert result.rounds == [{"a": 2, "b": 2}]
        assert result.eliminated == ["b"] and result.winner == "a"
        assert result.ranking == ["a", "b"]

    def test_no_ballots(self):
        result = instant_runoff(["a", "b"], [])
        assert result.ballots == 0 and result.tied == [] and len(result.ranking) == 2


# The 45-voter example that illustrates the Schulze method (five options A to E).
SCHULZE_BALLOTS = profile(
    (5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"),
    (7, "CAEBD"), (2, "CBADE"), (7, "DCEBA"), (8, "EBADC"),
)


class TestSchulze:
    def test_the_45_voter_example(self):
        result = schulze("ABCDE", SCHULZE_BALLOTS)
        d = result.pairwise
        assert [[d.get((a, b)) for b in "ABCDE"] for a in "ABCDE"] == [
            [None, 20, 26, 30, 22],
            [25, None, 16, 33, 18],
            [19, 29, None, 17, 24],
            [15, 12, 28, None, 14],
            [23, 27, 21, 31, None],
        ]
        p = result.strongest
        assert [[p.get((a, b)) for b in "ABCDE"] for a in "ABCDE"] == [
            [None, 28, 28, 30, 24],
            [25, None, 28, 33, 24],
            [25, 29, None, 29, 24],
            [25, 28, 28, None, 24],
            [25, 28, 28, 31, None],
        ]
        assert result.ranking == list("EACBD")
        assert result.winner == "E" and result.tied == []
        assert result.scores == {"E": 4, "A": 3, "C": 2, "B": 1, "D": 0}

    def test_a_condorcet_winner_wins(self):
        result = schulze("abc", profile((2, "bac"), (2, "cba"), (1, "abc")))
        assert result.winner == "b"

    def test_unranked_options_come_after_ranked_ones(self):
        result = schulze("abc", [["c"], ["c"], ["b"]])
        assert result.pairwise[("c", "a")] == 2 and result.pairwise[("a", "c")] == 0
        assert result.pairwise[("b", "a")] == 1 and result.pairwise[("c", "b")] == 2
        assert result.ranking == ["c", "b", "a"]

    def test_a_perfect_cycle_is_a_tie_kept_in_poll_order(self):
        result = schulze("abc", profile((1, "abc"), (1, "bca"), (1, "cab")))
        assert result.tied == ["a", "b", "c"]
        assert result.ranking == ["a", "b", "c"]
        assert result.scores == {"a": 0, "b": 0, "c": 0}

    def test_a_tie_below_the_winner_is_not_a_tie_for_first(self):
        result = schulze("abc", profile((2, "abc"), (2, "acb")))
        assert result.winner == "a" and result.tied == []
        assert result.ranking == ["a", "b", "c"]


E, VG, G, FG, P, I, R = range(len(GRADES))


class TestMajorityJudgment:
    def test_grades_go_from_excellent_to_reject(self):
        assert GRADES[0] == "excellent" and GRADES[-1] == "to_reject" and len(GRADES) == 7

    def test_the_majority_grade_is_the_lower_median(self):
        assert majority_grade([1, 0, 0, 0, 0, 0, 2]) == R  # E, R, R
        assert majority_grade([2, 0, 0, 0, 0, 0, 2]) == R  # E, E, R, R: the lower of the two
        assert majority_grade([0, 0, 3, 1, 0, 0, 0]) == G
        assert majority_grade([0] * 7) is None

    def test_majority_value_sets_aside_one_median_grade_at_a_time(self):
        # Grades G, G, P, I, I: median P; then G, G, I, I gives I (lower); then G, G, I
        # gives G; then G, I gives I; then G.
        assert majority_value(grade_counts(G, G, P, I, I)) == (P, I, G, I, G)

    def test_tennessee_with_grades_by_distance(self):
        # Voters grade their own city excellent and the others by distance. Chattanooga's
        # grades, best first, are 15 E, 43 VG, 42 P: the 51st of 100 is "very good".
        # Nashville (26 E, 74 G) and Knoxville (17 E, 15 VG, 26 G, 42 I) share "good".
        # Setting aside one "good" at a time, Knoxville's majority grade falls to
        # "insufficient" once 16 are set aside, Nashville's stays "good": Nashville ranks
        # above Knoxville. Memphis is rejected by 58.
        ballots = profile(
            (42, {"Memphis": E, "Nashville": G, "Chattanooga": P, "Knoxville": I}),
            (26, {"Memphis": R, "Nashville": E, "Chattanooga": VG, "Knoxville": G}),
            (15, {"Memphis": R, "Nashville": G, "Chattanooga": E, "Knoxville": VG}),
            (17, {"Memphis": R, "Nashville": G, "Chattanooga": VG, "Knoxville": E}),
        )
        result = majority_judgment(TENNESSEE, ballots)
        assert result.majority_grades == {"Memphis": R, "Nashville": G, "Chattanooga": VG,
                                          "Knoxville": G}
        assert result.profiles["Nashville"] == [26, 0, 74, 0, 0, 0, 0]
        assert result.profiles["Chattanooga"] == [15, 43, 0, 0, 42, 0, 0]
        assert majority_value(result.profiles["Knoxville"])[:17] == (G,) * 16 + (I,)
        assert majority_value(result.profiles["Nashville"])[:17] == (G,) * 17
        assert result.ranking == ["Chattanooga", "Nashville", "Knoxville", "Memphis"]
        assert result.tied == []

    def test_equal_majority_grades_are_told_apart_by_the_majority_value(self):
        # x: E, G, G, G, R and y: VG, G, G, G, P both have "good" for majority grade.
        # Majority values: x (G, G, G, R, E), y (G, G, G, P, VG): the fourth term decides,
        # y's worst grade being less bad.
        ballots = [{"x": E, "y": VG}, {"x": G, "y": G}, {"x": G, "y": G}, {"x": G, "y": G},
                   {"x": R, "y": P}]
        result = majority_judgment(["x", "y"], ballots)
        assert result.majority_grades == {"x": G, "y": G}
        assert majority_value(result.profiles["x"]) == (G, G, G, R, E)
        assert majority_value(result.profiles["y"]) == (G, G, G, P, VG)
        assert result.ranking == ["y", "x"] and result.tied == []

    def test_identical_profiles_tie_and_keep_the_poll_order(self):
        ballots = [{"a": G, "b": P}, {"a": P, "b": G}]
        result = majority_judgment(["a", "b"], ballots)
        assert result.tied == ["a", "b"] and result.ranking == ["a", "b"]

    def test_an_ungraded_option_counts_as_rejected(self):
        result = majority_judgment(["a", "b"], [{"a": E}])
        assert result.profiles["b"] == [0, 0, 0, 0, 0, 0, 1]
        assert result.ranking == ["a", "b"]


def grade_counts(*grades):
    counts = [0] * len(GRADES)
    for grade in grades:
        counts[grade] += 1
    return counts
