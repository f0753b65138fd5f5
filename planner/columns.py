"""The columns of the scenario tables, under the names an office writes them.

Every table accepts each column under its code (``category``), its Chinese
header (``类别``) or a common variant (``单位类别``); cells of ``level`` and
``category`` accept the Chinese names every printout uses (市级, 市政府工作部门及管理机构)
as well as the codes, and flags accept 是/否. The loader and the Excel
template both read these tables, so a header the template writes is always one
the loader accepts.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel

from planner.describe import LEVEL_LABELS
from planner.tables import DECISION_LABELS, Audit, DecisionKind, FixedDecision, Target, Team
from planner.vocabulary import CATEGORIES, CATEGORY_LABELS, Level


@dataclass(frozen=True)
class Column:
    """One column: its code (the model field), the header the template writes, other accepted headers."""

    code: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class TableSpec:
    """A scenario table: its file stem, its sheet name in a workbook, its columns."""

    stem: str
    sheet: str
    model: type[BaseModel]
    columns: tuple[Column, ...]
    optional: bool = False  # a scenario may go without it

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.columns if c.required)

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    def code_of(self, header: str) -> str | None:
        """The column a header names (code, Chinese header or variant), or None."""
        wanted = normalize(header)
        for column in self.columns:
            if wanted.lower() == column.code or wanted in {normalize(h) for h in (column.header, *column.aliases)}:
                return column.code
        return None

    def accepted(self) -> str:
        """Every column, for a message: '编号 (id)、单位名称 (name)、...'."""
        return "、".join(f"{c.header} ({c.code})" for c in self.columns)

    def description(self, code: str) -> str:
        return self.model.model_fields[code].description or ""


def normalize(text: str) -> str:
    """Full-width forms folded (（）→ (), ＡＢ → AB), spaces dropped."""
    return "".join(unicodedata.normalize("NFKC", text).split())


_TOWN_NOTE = ("所属镇办", ("镇办", "所属镇(街道)", "所属乡镇"))
TARGETS = TableSpec("targets", "巡察对象", Target, (
    Column("id", "编号", ("单位编号",), True),
    Column("name", "单位名称", ("名称", "单位全称"), True),
    Column("level", "层级", ("级别",), True),
    Column("county", "所属县区", ("县区", "县(区)", "所属县(区)")),
    Column("category", "类别", ("单位类别",), True),
    Column("sector", "所属系统", ("系统", "行业系统")),
    Column("effort", "工作量"),
    Column("risk", "风险等级", ("风险",)),
    Column("last_inspected", "上次巡察日期", ("上次巡察", "上次巡察时间")),
    Column("town", *_TOWN_NOTE),
    Column("elevated", "提级巡察", ("是否提级巡察",)),
    Column("follow_up", "回头看", ("是否回头看",)),
    Column("avoid_teams", "回避巡察组", ("回避",)),
))
VILLAGES = TableSpec("villages", "村(社区)", Target, optional=True, columns=(
    Column("id", "编号", ("村编号",), True),
    Column("name", "村(社区)名称", ("名称", "单位名称", "村名"), True),
    Column("county", "所属县区", ("县区", "县(区)", "所属县(区)"), True),
    Column("town", *_TOWN_NOTE, True),
    Column("sector", "所属系统", ("系统", "行业系统")),
    Column("effort", "工作量"),
    Column("risk", "风险等级", ("风险",)),
    Column("last_inspected", "上次巡察日期", ("上次巡察", "上次巡察时间")),
    Column("follow_up", "回头看", ("是否回头看",)),
    Column("avoid_teams", "回避巡察组", ("回避",)),
))
TEAMS = TableSpec("teams", "巡察组", Team, (
    Column("id", "编号", ("组编号",), True),
    Column("name", "巡察组名称", ("名称", "组名"), True),
    Column("level", "层级", ("级别",), True),
    Column("county", "所属县区", ("县区", "县(区)", "所属县(区)"), True),
    Column("leader_posts", "组长编制", (), True),
    Column("leader_filled", "组长在编", (), True),
    Column("deputy_posts", "副组长编制", (), True),
    Column("deputy_filled", "副组长在编", (), True),
    Column("liaison_posts", "联络员编制", (), True),
    Column("liaison_filled", "联络员在编", (), True),
))
FIXED = TableSpec("fixed", "锁定事项", FixedDecision, optional=True, columns=(
    Column("kind", "锁定类型", ("类型", "事项", "锁定事项"), True),
    Column("target", "单位", ("单位编号", "单位名称", "巡察对象")),
    Column("other", "另一单位", ("另一单位编号", "另一单位名称")),
    Column("team", "巡察组", ("巡察组编号", "巡察组名称")),
    Column("year", "年度", ("年份", "年度范围")),
    Column("round", "轮次", ("第几轮",)),
    Column("start", "开始日期", ("开始", "起始日期")),
    Column("end", "结束日期", ("结束", "截止日期")),
    Column("note", "说明", ("原因", "备注")),
))
AUDITS = TableSpec("audits", "审计计划", Audit, optional=True, columns=(
    Column("unit", "单位", ("单位编号", "单位名称", "被审计单位"), True),
    Column("year", "审计年度", ("年度", "年份"), True),
))
TABLES = (TARGETS, VILLAGES, TEAMS)
SCENARIO_TABLES = (*TABLES, FIXED, AUDITS)  # what the loader reads; the decisions and audits are optional

# Other names an office uses for a category, beside the label every printout prints.
_CATEGORY_VARIANTS = {
    "dev_zone": ("高新区", "开发区(高新区)"),
    "county": ("县区",),
    "town": ("镇办", "镇", "街道", "镇(街道办)", "乡镇"),
    "county_organ": ("党政机关", "县直部门", "县级部门"),
    "county_soe": ("县属国企", "县级国有企业"),
    "other": ("其他",),
    "village": ("村", "社区", "村(居)"),
}
_LEVEL_VARIANTS = {Level.CITY: ("市", "市委", "市本级"), Level.COUNTY: ("县", "县区", "县(区)", "县区委")}
BOOL_TRUE = ("是", "1", "true", "yes", "y", "√", "x")
BOOL_FALSE = ("否", "", "0", "false", "no", "n")


def _lookup(names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalize(name): code for code, aliases in names.items() for name in (code, *aliases)}


CATEGORY_NAMES = _lookup({c: (CATEGORY_LABELS[c], *_CATEGORY_VARIANTS.get(c, ())) for c in CATEGORIES})
_DECISION_VARIANTS = {
    DecisionKind.YEAR: ("年度", "指定年度", "定年份"),
    DecisionKind.ROUND: ("轮次", "指定轮次"),
    DecisionKind.TEAM: ("巡察组", "指定巡察组"),
    DecisionKind.NOT_BEFORE: ("不早于某日", "最早"),
    DecisionKind.NOT_AFTER: ("不晚于某日", "最晚"),
    DecisionKind.UNAVAILABLE: ("不可用", "组不可用", "借调", "停用"),
    DecisionKind.SAME_ROUND: ("同轮", "同一轮"),
    DecisionKind.DIFFERENT_ROUND: ("不同轮", "分轮", "错开"),
    DecisionKind.DIFFERENT_TEAM: ("不同组", "分组"),
}
DECISION_NAMES = _lookup({k.value: (DECISION_LABELS[k], *_DECISION_VARIANTS[k]) for k in DecisionKind})
LEVEL_NAMES = _lookup({level.value: (LEVEL_LABELS[level], *_LEVEL_VARIANTS[level]) for level in Level})


def category_code(text: str) -> str | None:
    return CATEGORY_NAMES.get(normalize(text).lower())


def decision_code(text: str) -> str | None:
    return DECISION_NAMES.get(normalize(text).lower())


def accepted_decisions() -> str:
    return "、".join(f"{DECISION_LABELS[k]} ({k.value})" for k in DecisionKind)


def level_code(text: str) -> str | None:
    return LEVEL_NAMES.get(normalize(text).lower())


def flag_value(text: str) -> bool | None:
    """是/否, 1/0, true/false; None when it is neither."""
    wanted = normalize(text).lower()
    if wanted in BOOL_TRUE:
        return True
    if wanted in BOOL_FALSE:
        return False
    return None


def accepted_categories(codes: tuple[str, ...] = CATEGORIES) -> str:
    return "、".join(f"{CATEGORY_LABELS[c]} ({c})" for c in codes)


def accepted_levels() -> str:
    return " 或 ".join(f"{LEVEL_LABELS[level]} ({level.value})" for level in Level)
