"""Rule families of an inspection plan, one module each.

Hard rules (a plan that breaks one is wrong) follow docs/domain.md section 3.1 and are
listed, each with its checker functions, greedy guard and office wording, in
:mod:`planner.rules`; the other families are listed here, in order. Soft rules add weighted,
named penalty terms to the objective.
"""

from constraints.audit_sync import add_audit_sync
from constraints.avoidance import add_avoidance
from constraints.blackout import add_blackouts
from constraints.capacity import add_team_capacity
from constraints.county_requests import add_county_requests
from constraints.county_visits import add_county_quiet
from constraints.coverage import add_follow_up_after_rectification, add_full_coverage
from constraints.cross_inspection import add_cross_windows
from constraints.drafted_cadres import add_few_drafted_cadres
from constraints.executed_rounds import add_executed_rounds
from constraints.fixed_decisions import add_fixed_decisions
from constraints.even_load import add_even_team_load, add_even_year_load, add_last_year_room
from constraints.horizon import add_within_horizon
from constraints.linked_sectors import add_linked_sectors
from constraints.mixed_rounds import add_mixed_rounds
from constraints.revisit import add_revisit_windows
from constraints.risk_first import add_risk_first
from constraints.round_policy import add_rounds_per_year, add_special_round_scope, add_units_per_year
from constraints.round_sequence import add_rounds_in_sequence
from constraints.short_special import add_short_special
from constraints.stability import add_stability
from constraints.staffing import add_staffing
from constraints.sync import add_rounds_in_step
from constraints.team_rounds import add_team_round_count
from constraints.team_overlap import add_one_round_at_a_time

# Implied by the hard rules (no plan changes): a count that proves a term too short at once.
IMPLIED_RULES = (add_team_round_count,)  # 1, 4, 5 and the round policy: 组次不够时至少几个单位排不下

# Whole-city plan (市县一盘棋) only; soft, or hard where the scenario says so.
LINKAGE_RULES = (
    add_county_quiet,  # 对县区不重复打扰 (city)
    add_rounds_in_step,  # 县区轮次与市委同步 (county)
    add_linked_sectors,  # 联动系统 (city names, counties follow)
    add_audit_sync,  # 巡审联动 (any committee, when audits.csv is given)
)

# Re-planning only: rounds already on site (or in preparation) stay as they were, and the
# rest stays close to the plan it replaces (weighted above the soft rules).
REPLAN_RULES = (add_executed_rounds, add_stability)

SOFT_RULES = (
    add_risk_first,
    add_mixed_rounds,
    add_even_team_load,
    add_even_year_load,
    add_short_special,
    add_last_year_room,
    add_few_drafted_cadres,
    add_county_requests,  # the coupling pass of a whole-city plan: the city's rounds where the counties need them
)
