"""Every rule the checker re-verifies, once: its id, the office's wording, the rule families
that add it to the model and whether it is always hard.

The model adds the hard ones (``constraints.HARD_RULES``, in this order) and
:func:`planner.check.check_plan` runs the checker functions it keeps under the same ids, in
this order too. An id names the rule in the checker's findings; :attr:`Rule.modules` names
the ``constraints/`` modules that hold it. A rule with no family holds by construction (the
exported table's form, its round numbers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from constraints.avoidance import add_avoidance
from constraints.blackout import add_blackouts
from constraints.capacity import add_team_capacity
from constraints.county_visits import add_county_quiet
from constraints.coverage import add_follow_up_after_rectification, add_full_coverage
from constraints.cross_inspection import add_cross_windows
from constraints.fixed_decisions import add_fixed_decisions
from constraints.horizon import add_within_horizon
from constraints.revisit import add_revisit_windows
from constraints.round_policy import add_rounds_per_year, add_special_round_scope, add_units_per_year
from constraints.round_sequence import add_rounds_in_sequence
from constraints.staffing import add_staffing
from constraints.sync import add_rounds_in_step
from constraints.team_overlap import add_one_round_at_a_time
from planner.model import PlanModel

Family = Callable[[PlanModel], None]


@dataclass(frozen=True)
class Rule:
    id: str
    wording: str  # the office's name for it, which begins each of the checker's findings
    model: tuple[Family, ...]
    hard: bool = True  # False: soft, or hard where the scenario says (the whole-city rules)

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.__module__.removeprefix("constraints.") for f in self.model))


# In the order of docs/domain.md section 3.1.
RULES = (
    Rule("table", "表格", ()),
    Rule("coverage", "覆盖", (add_full_coverage, add_follow_up_after_rectification)),  # 1 全覆盖, 回头看 after 整改
    Rule("team_overlap", "一组一轮", (add_one_round_at_a_time,)),  # 2
    Rule("revisit", "回访督查", (add_revisit_windows,)),  # 每组每年 (首年除外) 留出回访上一年单位的时段
    Rule("kind_overlap", "常规与专项", (add_rounds_in_sequence,)),  # 3 常规与专项不并行
    Rule("round_numbering", "轮次编号", ()),
    Rule("staff", "人员", (add_staffing,)),  # 4 组长与人数, 抽调不超库
    Rule("capacity", "工作量", (add_team_capacity,)),  # 5 每组1-3个单位 (村随镇走: planner.model.CommitteeData)
    Rule("avoidance", "回避", (add_avoidance,)),  # 6
    Rule("blackout", "禁止进驻", (add_blackouts,)),  # 7 春节、国庆不进驻
    Rule("horizon", "规划期", (add_within_horizon,)),  # 8
    # 每年轮次; 专项巡察的组数与时长; 每年常规巡察至少巡察的单位数
    Rule("round_policy", "轮次规则", (add_rounds_per_year, add_special_round_scope, add_units_per_year)),
    # 定年度、定轮次、定组、不早于/不晚于、组不可用、同轮/不同轮/不同组
    Rule("fixed", "锁定事项", (add_fixed_decisions,)),
    Rule("cross", "交叉巡察", (add_cross_windows,)),  # 市委统一组织的进驻时段
    Rule("sync", "上下联动", (add_rounds_in_step,), hard=False),  # 县区轮次与市委同步
    Rule("quiet", "不重复打扰", (add_county_quiet,), hard=False),  # 对县区不重复打扰
)

HARD_RULES = tuple(family for rule in RULES if rule.hard for family in rule.model)
