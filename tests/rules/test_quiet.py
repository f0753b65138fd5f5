"""不重复打扰: the city's visits into a county kept apart (hard by default: linkage.quiet_hard)."""

from __future__ import annotations

from planner.overrides import apply_overrides
from planner.vocabulary import Kind
from rule_helpers import found_messages, solve_whole


def test_model_hard_quiet_visits_make_a_one_year_term_impossible(whole):
    """The special round and the cross round both visit every county: 12 months apart cannot fit in one year."""
    soft = apply_overrides(whole, ["linkage.quiet_months=12", "linkage.quiet_hard=false"])
    found = solve_whole(soft)
    assert found.has_plan and found.penalties["county_quiet"] >= 3  # each county: special and cross too close
    hard = apply_overrides(soft, ["linkage.quiet_hard=true"])
    assert solve_whole(hard).status == "INFEASIBLE"


def test_model_quiet_visits_keep_a_countys_committee_and_its_cross_round_apart(whole):
    """Two months' quiet: the city inspects each county committee away from the special and cross rounds."""
    plan = solve_whole(whole)
    assert plan.status == "OPTIMAL" and "county_quiet" not in plan.penalties  # hard by default: no penalty term
    rounds = {r.start_week: r for r in plan.rounds}
    quiet = whole.linkage.quiet_weeks
    visits = sorted([(r.start_week, r.start_week + r.onsite_weeks) for r in plan.rounds if r.kind == Kind.SPECIAL]
                    + [(s, s + w) for s, w in plan.cross])
    committees = [(r.start_week, r.start_week + r.onsite_weeks) for r in rounds.values() if r.kind == Kind.REGULAR
                  and any(t in ("KA", "KB", "KC") for tr in r.teams for t in tr.targets)]
    for a, b in ((v, c) for v in visits for c in committees):
        assert b[0] >= a[1] + quiet or a[0] >= b[1] + quiet


def test_broken_two_visits_closer_than_the_quiet_period_are_refused_by_default(whole_frame, whole):
    assert whole.linkage.quiet_hard
    longer = apply_overrides(whole, ["linkage.quiet_months=12"])
    words = "相隔不足12个月"
    found = found_messages(longer, whole_frame, words)
    # A year-long term: the special round and the cross round visit every county within 12 months.
    assert any(words in m and "交叉巡察" in m for m in found), found
