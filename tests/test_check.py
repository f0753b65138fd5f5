"""The plan checker: a hand-made valid plan for the tiny scenario passes, and each
hand-broken copy is caught by exactly the rule it breaks, naming the objects."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cli import app
from planner.calendar import WeekGrid
from planner.check import RULES, check_plan
from planner.loading import load_scenario
from planner.plan import ASSIGNMENTS_FILE, PLAN_FILE, assignments_to_csv_bytes, read_plan
from planner.scenario import Scenario
from planner.vocabulary import Kind
from test_whole import WHOLE_RULES_BROKEN

TINY = Path(__file__).parent / "data" / "tiny"
THEME = "作风建设专项巡察"


@dataclasses.dataclass(frozen=True)
class Assign:
    """One team in one round; ``week`` is the first on-site week on the scenario's WeekGrid."""

    round: int
    kind: str
    team: str
    targets: tuple[str, ...]
    week: int
    weeks: int
    drafted: int
    leader: str = "permanent"


# Spring Festival 2027 blocks weeks 4-5, National Day weeks 38-39. T2 has no leader of
# its own, so it takes the one drafted leader; G2 avoids T1; G1 gets a 回头看 by T1.
VALID = (
    Assign(1, "regular", "T1", ("K1",), 8, 6, 2),
    Assign(1, "regular", "T2", ("A1", "A1-V1"), 8, 5, 3, "drafted"),
    Assign(2, "regular", "T1", ("P1", "P2", "S1"), 17, 4, 2),
    Assign(2, "regular", "T2", ("G1", "G2"), 17, 4, 3, "drafted"),
    Assign(3, "regular", "T1", ("E1",), 24, 4, 2),
    Assign(4, "special", "T1", (THEME,), 31, 2, 1),
    Assign(4, "special", "T2", (THEME,), 31, 2, 2, "drafted"),
    Assign(5, "follow_up", "T1", ("G1",), 35, 2, 1),
)


@pytest.fixture(scope="module")
def tiny() -> Scenario:
    return load_scenario(TINY)


def _rows(scenario: Scenario, plan=VALID, level="city") -> list[dict]:
    """The assignments.csv rows of ``plan``, with busy spans from the round policy."""
    grid = WeekGrid.of(scenario)
    targets = {t.id: t for t in scenario.targets}
    teams = {t.id: t for t in scenario.teams}
    rows = []
    for a in plan:
        policy = scenario.rounds.policy(Kind.REGULAR if a.kind == "cross" else Kind(a.kind))
        dates = dict(
            onsite_start=grid.monday(a.week),
            onsite_end=grid.friday(a.week + a.weeks - 1),
            busy_start=grid.monday(a.week - policy.prep_weeks),
            busy_end=grid.monday(a.week + a.weeks + policy.report_weeks) - dt.timedelta(days=1),
        )
        size = teams[a.team].filled + (a.leader == "drafted") + a.drafted
        staff = dict(team_size=size, drafted=a.drafted, leader=a.leader)
        for name in a.targets:
            if a.kind == "special":  # the theme stands in the target's place
                target = dict(target="", target_name=name, category="", target_county="")
            else:
                t = targets[name]
                target = dict(target=t.id, target_name=t.name, category=t.category, target_county=t.county)
            rows.append(dict(round=a.round, kind=a.kind, level=level, county="", team=a.team) | target | dates | staff)
    return rows


def _changed(plan, round_, team, /, **changes):
    return tuple(dataclasses.replace(a, **changes) if (a.round, a.team) == (round_, team) else a for a in plan)


def _without(plan, round_, team):
    return tuple(a for a in plan if (a.round, a.team) != (round_, team))


def _with_rounds(scenario: Scenario, kind: str | None = None, **changes) -> Scenario:
    """A what-if copy with the round policy (or one kind's policy) changed."""
    rounds = scenario.rounds
    if kind:
        changes = {kind: getattr(rounds, kind).model_copy(update=changes)}
    return scenario.replace(rounds=rounds.model_copy(update=changes))


def _write(directory: Path, rows: list[dict], level: str = "city") -> Path:
    (directory / ASSIGNMENTS_FILE).write_bytes(assignments_to_csv_bytes(pd.DataFrame(rows)))
    (directory / PLAN_FILE).write_text(json.dumps({"level": level}), encoding="utf-8")
    return directory


def test_hand_made_plan_passes(tiny, tmp_path):
    grid = WeekGrid.of(tiny)
    assert all(grid.blocked.isdisjoint(range(a.week, a.week + a.weeks)) for a in VALID)
    assert check_plan(tiny, read_plan(_write(tmp_path, _rows(tiny)))) == []


def _theme_in_2028(scenario: Scenario) -> Scenario:
    """The tiny term stretched to 2028 (no regular minimum there), its theme set for 2028."""
    theme = scenario.rounds.special.themes[0].model_copy(update={"year": 2028})
    longer = scenario.replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 12, 31)})
    return _with_rounds(_with_rounds(longer, "special", themes=(theme,)), "regular", rounds_per_year_min=0)


def _revisit_in_2028(scenario: Scenario) -> Scenario:
    """The tiny term stretched to two weeks of 2028 (no regular minimum there), each team to keep
    2 weeks for 回访督查, and T1 away in both."""
    longer = scenario.replace(horizon={"start": dt.date(2027, 1, 1), "end": dt.date(2028, 1, 16)},
                              fixed=[{"kind": "unavailable", "team": "T1", "start": dt.date(2028, 1, 3),
                                      "end": dt.date(2028, 1, 14)}])
    longer = _with_rounds(longer, "regular", rounds_per_year_min=0)
    return longer.replace(rounds=longer.rounds.model_copy(update={"revisit_weeks": 2}))


@dataclasses.dataclass(frozen=True)
class Break:
    """A hand-broken copy of VALID and what the checker must say about it."""

    rule: str
    words: str  # in the message of the violation found
    objects: tuple  # (rounds, teams, targets) of that violation
    plan: tuple[Assign, ...] = VALID
    edit: tuple | None = None  # (round, team, {column: value}) for that team's first row
    scenario: Callable[[Scenario], Scenario] | None = None
    also: frozenset[str] = frozenset()  # other rules the change cannot help breaking


def _renumbered(plan, numbers: dict[int, int]):
    return tuple(dataclasses.replace(a, round=numbers.get(a.round, a.round)) for a in plan)


BREAKS = {
    "a team with no weeks left for its revisits": Break(
        "revisit", "市委第一巡察组 (T1) 2028年没有连续2周的空档用于回访督查", ((), ("T1",), ()),
        scenario=_revisit_in_2028,
    ),
    "target in a second round": Break(
        "coverage", "覆盖: 市委办公室 (P1) 被安排了2次 (第2轮、第3轮)", ((2, 3), ("T1", "T2"), ("P1",)),
        plan=VALID + (Assign(3, "regular", "T2", ("P1",), 24, 4, 3, "drafted"),),
    ),
    "target left out": Break(
        "coverage", "市第一高级中学 (S1) 未被安排", ((), (), ("S1",)),
        plan=_changed(VALID, 2, "T1", targets=("P1", "P2")),
    ),
    "unknown target": Break(
        "coverage", "第5轮安排了未知的巡察对象 'X1'", ((5,), ("T1",), ("X1",)), edit=(5, "T1", {"target": "X1"}),
    ),
    "target of the county level": Break(
        "coverage", "第5轮 市委第一巡察组 (T1) 巡察了乙县的巡察对象 乙县河口镇 (A2)", ((5,), ("T1",), ("A2",)),
        edit=(5, "T1", {"target": "A2"}),
    ),
    "inspection row without a target": Break(
        "coverage", "第5轮 市委第一巡察组 (T1) 有一行未填写巡察对象", ((5,), ("T1",), ("",)),
        edit=(5, "T1", {"target": ""}), also=frozenset({"capacity"}),
    ),
    "follow-up missing": Break(
        "coverage", "市教育局 (G1) 应安排1次回头看, 实为0次", ((), (), ("G1",)), plan=_without(VALID, 5, "T1"),
    ),
    "follow-up of an unlisted target": Break(
        "coverage", "甲县城关镇 (A1) 未列入回头看名单, 却安排了回头看 (第5轮)", ((5,), ("T1",), ("A1",)),
        plan=_changed(VALID, 5, "T1", targets=("A1",)),
        also=frozenset({"quiet"}),  # 甲县's town in round 5 is a second visit into 甲县 within 6 months
    ),
    "follow-up before rectification": Break(
        "coverage", "市教育局 (G1) 第5轮回头看 2027-09-06 进驻, 距第2轮常规巡察进驻结束 (2027-05-28) 不足16周",
        ((2, 5), ("T1",), ("G1",)), scenario=lambda s: _with_rounds(s, "follow_up", min_gap_weeks=16),
    ),
    "unknown theme": Break(
        "coverage", "第4轮的专项主题「环保专项」不在场景的专项主题中", ((4,), (), ()),
        plan=_changed(_without(VALID, 4, "T2"), 4, "T1", targets=("环保专项",)),
    ),
    "special round naming a target": Break(
        "coverage", "第4轮专项巡察不应填写巡察对象 (A1)", ((4,), (), ("A1",)), edit=(4, "T1", {"target": "A1"}),
    ),
    "two themes in one round": Break(
        "coverage", "第4轮专项巡察有多个主题: 作风建设专项巡察、环保专项", ((4,), (), ()),
        edit=(4, "T2", {"target_name": "环保专项"}),
    ),
    "theme in the wrong year": Break(
        "coverage", "专项主题「作风建设专项巡察」应在2028年开展, 第4轮却在2027年", ((4,), (), ()), scenario=_theme_in_2028,
    ),
    "rows of one team disagree": Break(
        "team_overlap", "第2轮 市委第一巡察组 (T1) 的各行日期不一致", ((2,), ("T1",), ()),
        edit=(2, "T1", {"busy_end": dt.date(2027, 6, 12)}),
    ),
    "busy span starting after on-site work": Break(
        "team_overlap", "第5轮 市委第一巡察组 (T1) 日期次序有误", ((5,), ("T1",), ()),
        edit=(5, "T1", {"busy_start": dt.date(2027, 9, 7)}),
    ),
    "busy spans overlap": Break(
        "team_overlap", "市委第一巡察组 (T1) 同时参加第2轮 (2027-04-26 至 2027-06-13) 和第3轮 (2027-05-31 至 2027-07-18)",
        ((2, 3), ("T1",), ()), plan=_changed(VALID, 3, "T1", week=22),
    ),
    "special round inside a regular one": Break(
        "kind_overlap", "第4轮专项巡察 (进驻 2027-06-28 至 2027-07-23) 与第3轮常规巡察 (进驻 2027-06-21 至 2027-07-16) 同时进驻",
        ((3, 4), (), ()), plan=_changed(_without(VALID, 4, "T1"), 4, "T2", week=25, weeks=4),
    ),
    "round numbers out of order": Break(
        "round_numbering", "第3轮 (2027-05-03 进驻) 早于第2轮 (2027-06-21 进驻)", ((2, 3), (), ()),
        plan=_renumbered(VALID, {2: 3, 3: 2}),
    ),
    "round number skipped": Break(
        "round_numbering", "轮次应从1起连续编号, 实为 1、2、3、4、6", ((1, 2, 3, 4, 6), (), ()),
        plan=_renumbered(VALID, {5: 6}),
    ),
    "round of two kinds": Break(
        "round_numbering", "第1轮混有多种巡察类型: cross、regular", ((1,), (), ()), edit=(1, "T2", {"kind": "cross"}),
        # A city team's cross rows cover no unit of the city, and visit 甲县 while the city inspects its committee.
        also=frozenset({"coverage", "quiet"}),
    ),
    "team below minimum size": Break(
        "staff", "第3轮 市委第一巡察组 (T1) 4人, 不在5至7人之间", ((3,), ("T1",), ()),
        plan=_changed(VALID, 3, "T1", drafted=1),
    ),
    "staff differing between rows of a team": Break(
        "staff", "第2轮 市委第一巡察组 (T1) 的各行人数或组长不一致", ((2,), ("T1",), ()), edit=(2, "T1", {"drafted": 3}),
    ),
    "team size not adding up": Break(
        "staff", "第5轮 市委第一巡察组 (T1) 人数应为 在编3 + 抽调组长0 + 抽调1 = 4, 表中为 5", ((5,), ("T1",), ()),
        edit=(5, "T1", {"team_size": 5}),
    ),
    "drafted cadres over the pool": Break(
        "staff", "第2轮抽调干部7人, 超过每轮可抽调6人", ((2,), ("T1", "T2"), ()), plan=_changed(VALID, 2, "T1", drafted=4),
    ),
    "drafted leaders over the pool": Break(
        "staff", "第2轮抽调组长2人 (T1、T2), 超过组长库1人", ((2,), ("T1", "T2"), ()),
        plan=_changed(VALID, 2, "T1", leader="drafted", drafted=1),
    ),
    "permanent leader for a vacant post": Break(
        "staff", "第2轮 市委第二巡察组 (T2) 组长岗位空缺", ((2,), ("T2",), ()),
        plan=_changed(VALID, 2, "T2", leader="permanent", drafted=4),
    ),
    "county team in a city round": Break(
        "staff", "第3轮 甲县委第一巡察组 (J1) 是甲县委的巡察组, 不能参加市委的轮次", ((3,), ("J1",), ()),
        plan=_changed(VALID, 3, "T1", team="J1", drafted=3),
    ),
    "four targets for one team": Break(
        "capacity", "第2轮 市委第一巡察组 (T1) 巡察4个单位, 应为1至3个", ((2,), ("T1",), ("P1", "P2", "S1", "E1")),
        plan=_renumbered(_changed(_without(VALID, 3, "T1"), 2, "T1", targets=("P1", "P2", "S1", "E1")), {4: 3, 5: 4}),
    ),
    "effort over the limit": Break(
        "capacity", "第1轮 市委第二巡察组 (T2) 工作量4, 超过上限3", ((1,), ("T2",), ("A1", "P1")),
        plan=_changed(_changed(VALID, 2, "T1", targets=("P2", "S1")), 1, "T2", targets=("A1", "A1-V1", "P1")),
    ),
    "on site over the Spring Festival": Break(
        "blackout", "第1轮 市委第一巡察组 (T1) 进驻 2027-01-18 至 2027-02-26, 含2027年春节9天", ((1,), ("T1",), ()),
        plan=_changed(_changed(VALID, 1, "T1", week=2), 1, "T2", week=2),
    ),
    "avoid list ignored": Break(
        "avoidance", "市委第一巡察组 (T1) 应回避 市水利局 (G2), 却在第2轮巡察该单位", ((2,), ("T1",), ("G2",)),
        plan=_changed(_changed(VALID, 2, "T1", targets=("P1", "P2", "G2")), 2, "T2", targets=("G1", "S1")),
    ),
    "same team back for the follow-up": Break(
        "avoidance", "市委第二巡察组 (T2) 两次巡察 市教育局 (G1) (第2轮、第5轮)", ((2, 5), ("T2",), ("G1",)),
        plan=_changed(VALID, 5, "T1", team="T2", leader="drafted", drafted=2),
    ),
    "busy span past the term": Break(
        "horizon", "第5轮 市委第一巡察组 (T1) 工作期 2027-12-13 至 2028-01-09 超出规划期 2027-01-01 至 2027-12-31",
        ((5,), ("T1",), ()), plan=_changed(VALID, 5, "T1", week=50),
    ),
    "on site too short for a county": Break(
        "round_policy", "第1轮 市委第一巡察组 (T1) 进驻 2027-03-01 至 2027-04-02, 不足6周", ((1,), ("T1",), ()),
        plan=_changed(VALID, 1, "T1", weeks=5),
    ),
    "special round too long": Break(
        "round_policy", "第4轮专项巡察进驻 2027-08-09 至 2027-09-24, 超过6周", ((4,), (), ()),
        plan=_changed(_changed(_changed(VALID, 4, "T1", weeks=7), 4, "T2", weeks=7), 5, "T1", week=40),
    ),
    "too many teams for a theme": Break(
        "round_policy", "第4轮专项巡察派出2个组, 超过上限1个", ((4,), ("T1", "T2"), ()),
        scenario=lambda s: _with_rounds(
            s, "special", themes=(s.rounds.special.themes[0].model_copy(update={"max_teams": 1}),)
        ),
    ),
    "special round too short for its scope": Break(
        "round_policy", "第4轮专项巡察1个组检查4个单位, 应进驻至少4周, 实为进驻 2027-08-09 至 2027-08-20", ((4,), ("T1",), ()),
        plan=_without(VALID, 4, "T2"),
    ),
    "too many regular rounds in a year": Break(
        "round_policy", "2027年常规巡察3轮 (第1轮、第2轮、第3轮), 超过上限2轮", ((1, 2, 3), (), ()),
        scenario=lambda s: _with_rounds(s, "regular", rounds_per_year_max=2),
    ),
    "too few regular rounds in a year": Break(
        "round_policy", "2027年常规巡察仅3轮, 少于下限4轮", ((1, 2, 3), (), ()),
        scenario=lambda s: _with_rounds(s, "regular", rounds_per_year_min=4),
    ),
    "unknown kind": Break(
        "table", "第13行 (第5轮 T1): 未知的巡察类型 'mobile'", ((5,), ("T1",), ()), edit=(5, "T1", {"kind": "mobile"}),
        also=frozenset({"coverage"}),
    ),
    "county named in a city round": Break(
        "table", "第13行 (甲县第5轮 T1): 甲县的轮次不属于本方案 (本方案为: 市委)", ((5,), ("T1",), ()),
        edit=(5, "T1", {"county": "甲县"}),
        also=frozenset({"coverage"}),  # the row no longer counts as the city's follow-up of G1
    ),
    "row of the county level": Break(
        "table", "第13行 (第5轮 T1): 层级应为 'city' (市委轮次), 实为 'county'", ((5,), ("T1",), ()),
        edit=(5, "T1", {"level": "county"}),
    ),
    "unknown team": Break("table", "未知的巡察组 'T9'", ((5,), ("T9",), ()), edit=(5, "T1", {"team": "T9"})),
    "unknown leader": Break(
        "table", "组长应为 permanent 或 drafted, 实为 'acting'", ((5,), ("T1",), ()), edit=(5, "T1", {"leader": "acting"}),
    ),
    "unit outside the year fixed": Break(
        "fixed", "锁定事项: 市城投公司 定于2028年, 方案中在第3轮 市委第一巡察组 (T1) (进驻 2027-06-21 至 2027-07-16)",
        ((3,), ("T1",), ("E1",)),
        scenario=lambda s: _decided(_theme_in_2028(s), {"kind": "year", "target": "E1", "year": "2028"}),
        also=frozenset({"coverage"}),  # the theme, set for 2028, ran in 2027
    ),
    "unit in another round than fixed": Break(
        "fixed", "锁定事项: 市城投公司 定于第2轮 (书记专题会议定), 方案中在第3轮", ((3,), ("T1",), ("E1",)),
        scenario=lambda s: _decided(s, {"kind": "round", "target": "E1", "round": 2, "note": "书记专题会议定"}),
    ),
    "unit with another team than fixed": Break(
        "fixed", "锁定事项: 中共甲县委员会 由市委第二巡察组巡察, 方案中在第1轮 市委第一巡察组 (T1)", ((1,), ("T1",), ("K1",)),
        scenario=lambda s: _decided(s, {"kind": "team", "target": "K1", "team": "T2"}),
    ),
    "unit earlier than fixed": Break(
        "fixed", "锁定事项: 市委办公室 不早于2027-06-01进驻, 方案中在第2轮 市委第一巡察组 (T1) (进驻 2027-05-03",
        ((2,), ("T1",), ("P1",)),
        scenario=lambda s: _decided(s, {"kind": "not_before", "target": "P1", "start": dt.date(2027, 6, 1)}),
    ),
    "unit later than fixed": Break(
        "fixed", "锁定事项: 市城投公司 不晚于2027-06-30结束进驻, 方案中在第3轮", ((3,), ("T1",), ("E1",)),
        scenario=lambda s: _decided(s, {"kind": "not_after", "target": "E1", "end": dt.date(2027, 6, 30)}),
    ),
    "team busy while away": Break(
        "fixed", "锁定事项: 市委第二巡察组 2027-08-01 至 2027-08-31 不可用 (借调省委巡视), 却参加第4轮 "
                 "(工作期 2027-08-02 至 2027-08-29)", ((4,), ("T2",), ()),
        scenario=lambda s: _decided(s, {"kind": "unavailable", "team": "T2", "start": dt.date(2027, 8, 1),
                                        "end": dt.date(2027, 8, 31), "note": "借调省委巡视"}),
    ),
    "units apart that were fixed together": Break(
        "fixed", "锁定事项: 市城投公司 与 市委办公室 同轮巡察, 方案中分别在第3轮", ((3, 2), ("T1", "T1"), ("E1", "P1")),
        scenario=lambda s: _decided(s, {"kind": "same_round", "target": "E1", "other": "P1"}),
    ),
    "units together that were fixed apart": Break(
        "fixed", "锁定事项: 市委办公室 与 市总工会 不在同一轮巡察", ((2, 2), ("T1", "T1"), ("P1", "P2")),
        scenario=lambda s: _decided(s, {"kind": "different_round", "target": "P1", "other": "P2"}),
    ),
    "units with one team that were fixed to two": Break(
        "fixed", "锁定事项: 市教育局 与 市水利局 不由同一巡察组巡察", ((2, 2), ("T2", "T2"), ("G1", "G2")),
        scenario=lambda s: _decided(s, {"kind": "different_team", "target": "G1", "other": "G2"}),
    ),
}


def _decided(scenario: Scenario, *decisions: dict) -> Scenario:
    return scenario.replace(fixed=list(decisions))


def _broken_rows(scenario: Scenario, case: Break) -> list[dict]:
    rows = _rows(scenario, case.plan)
    if case.edit:
        round_, team, changes = case.edit
        next(r for r in rows if (r["round"], r["team"]) == (round_, team)).update(changes)
    return rows


@pytest.mark.parametrize("case", BREAKS.values(), ids=BREAKS.keys())
def test_broken_plan_is_caught_by_its_rule(tiny, tmp_path, case):
    scenario = case.scenario(tiny) if case.scenario else tiny
    violations = check_plan(scenario, read_plan(_write(tmp_path, _broken_rows(tiny, case))))
    messages = "\n".join(v.message for v in violations)
    found = [v for v in violations if case.words in v.message]
    assert found, messages
    assert found[0].rule == case.rule
    assert (found[0].rounds, found[0].teams, found[0].targets) == case.objects
    assert {v.rule for v in violations} == {case.rule} | case.also, messages


def test_every_rule_has_a_broken_plan():
    # The whole-city rules are broken on a whole-city plan in test_whole.
    assert {case.rule for case in BREAKS.values()} | WHOLE_RULES_BROKEN == {rule.id for rule in RULES}


@pytest.mark.parametrize(
    ("pairs", "words"),
    [
        ((("J1", "A1-V1"), ("Y1", "A2")), "甲县第1轮交叉巡察中 甲县委第一巡察组 (J1) 巡察本县区的 甲县城关镇东坡村 (A1-V1)"),
        ((("J1", "A2"), ("Y1", "A1-V1")), "交叉巡察中乙县与甲县互相巡察, 应循环交叉"),
    ],
    ids=["own county", "swap"],
)
def test_cross_inspection_stays_away_from_home(tiny, tmp_path, pairs, words):
    plan = tuple(Assign(1, "cross", team, (target,), 8, 4, 2) for team, target in pairs)
    teams = {t.id: t for t in tiny.teams}
    # A cross row names the inspecting county's committee.
    rows = [row | {"county": teams[row["team"]].county} for row in _rows(tiny, plan, level="county")]
    violations = check_plan(tiny, read_plan(_write(tmp_path, rows, "county")))
    assert any(v.rule == "avoidance" and words in v.message for v in violations), [v.message for v in violations]


def _invoke(*args: str):
    return CliRunner().invoke(app, ["check", *args])


def test_cli_passes_valid_plan(tmp_path):
    result = _invoke(str(TINY), str(_write(tmp_path, _rows(load_scenario(TINY)))))
    assert result.exit_code == 0, result.output
    assert "检查通过: 5轮、12条安排、9个巡察对象" in result.output


def test_cli_lists_violations(tmp_path):
    case = BREAKS["target in a second round"]
    result = _invoke(str(TINY), str(_write(tmp_path, _broken_rows(load_scenario(TINY), case))))
    assert result.exit_code == 1, result.output
    assert "检查未通过: 发现 1 处违反硬性规则" in result.output
    assert case.words in result.output


def test_cli_defaults_to_bundled_scenario(tmp_path):
    result = _invoke(str(_write(tmp_path, _rows(load_scenario(TINY)))))
    assert result.exit_code == 1
    assert "第1轮安排了未知的巡察对象 'K1'" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (lambda d: [str(TINY), str(d / "missing")], "不是方案目录"),
        (lambda d: [str(TINY), str(_write(d, _rows(load_scenario(TINY)), "province"))], "应为 city 或 county"),
        (lambda d: [str(TINY), str(d), str(d)], "最多两个目录"),
    ],
    ids=["missing plan dir", "unknown level", "three paths"],
)
def test_cli_exits_2_on_unreadable_input(tmp_path, args, words):
    result = _invoke(*args(tmp_path))
    assert result.exit_code == 2
    assert words in result.output


def _write_meta(directory: Path, **meta) -> Path:
    (directory / PLAN_FILE).write_text(json.dumps({"level": "city", **meta}), encoding="utf-8")
    return directory


def test_cli_uses_the_scenario_the_plan_records(tmp_path):
    scenario = load_scenario(TINY)
    (tmp_path / "plan").mkdir()
    plan_dir = _write(tmp_path / "plan", _rows(scenario))
    _write_meta(plan_dir, scenario_source=scenario.source, scenario_sha256=scenario.sha256)
    result = _invoke(str(plan_dir))
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


def test_cli_refuses_a_plan_whose_scenario_is_gone(tmp_path, monkeypatch):
    """A relative scenario path from another working folder must not fall back to the bundled scenario."""
    (tmp_path / "plan").mkdir()
    plan_dir = _write(tmp_path / "plan", _rows(load_scenario(TINY)))
    _write_meta(plan_dir, scenario_source="scen", scenario_sha256="0" * 64)
    monkeypatch.chdir(tmp_path)
    result = _invoke(str(plan_dir))
    assert result.exit_code == 2, result.output
    assert "检查通过" not in result.output
    assert "'scen' 已不存在" in result.output


def test_cli_checks_against_the_plans_overrides(tmp_path):
    """A what-if plan is checked against its variant: --set overrides recorded in plan.json are applied."""
    scenario = load_scenario(TINY)
    plan_dir = _write(tmp_path, _rows(scenario))
    _write_meta(plan_dir, scenario_source=scenario.source, scenario_sha256=scenario.sha256,
                overrides=["staff.city.drafted_pool=2"])
    result = _invoke(str(plan_dir))
    assert result.exit_code == 1, result.output
    assert "超过每轮可抽调2人" in result.output
