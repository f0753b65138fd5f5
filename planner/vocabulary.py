"""The words a scenario is written in: the frozen base of its models, the bounds of what it may
hold, levels and committees, kinds of round, and unit categories with their Chinese labels.

The scenario's models (:mod:`planner.tables`, :mod:`planner.scenario_settings`,
:mod:`planner.scenario`) are built from these; this module imports nothing of the planner.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


# Bounds of what the solver, the calendar and the printouts can hold; beyond them input is refused.
INT32_MAX = 2**31 - 1  # CP-SAT's parameters and this model's products stay within 64 bits
MAX_ID_CHARS = 40
MAX_NAME_CHARS = 100  # the longest real unit name is under 40 characters; printouts are tried at 100
FIRST_YEAR, LAST_YEAR = 1900, 2098  # lunardate covers 1900-2099; blackouts look a year past the horizon
MAX_HORIZON_YEARS = 10  # two terms (届) of five years
MAX_ROUNDS_PER_YEAR = 12
MAX_THEMES = 50
MAX_TARGETS_PER_PLAN = 1000  # one committee's plan; the largest real one has 325 (bench/README.md)

Name = Annotated[str, Field(max_length=MAX_NAME_CHARS, pattern=r"^[^\r\n]*$")]
Id = Annotated[str, Field(min_length=1, max_length=MAX_ID_CHARS, pattern=r"^[^\r\n]*$")]
Count = Annotated[int, Field(ge=0, le=INT32_MAX)]
Weight = Annotated[int, Field(ge=0, le=1_000_000)]  # weight x penalty summed over the plan stays within 64 bits


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Level(str, Enum):
    CITY = "city"
    COUNTY = "county"


WHOLE_LEVEL = "all"  # the whole city, every committee in step: --level all, plan.json's level, the chart


class Kind(str, Enum):
    REGULAR = "regular"
    SPECIAL = "special"
    CROSS = "cross"
    FOLLOW_UP = "follow_up"


CITY_CATEGORIES = (
    "party_work_organ",
    "party_mass_other",
    "people_org",
    "gov_department",
    "gov_subordinate",
    "city_soe",
    "dev_zone",
)
COUNTY_CATEGORIES = ("town", "county_organ", "institution", "county_soe", "other")
CATEGORIES = CITY_CATEGORIES + ("county",) + COUNTY_CATEGORIES + ("village",)

CATEGORY_LABELS = {
    "party_work_organ": "市委工作机关及直属单位",
    "party_mass_other": "其他党群机关单位",
    "people_org": "市级人民团体",
    "gov_department": "市政府工作部门及管理机构",
    "gov_subordinate": "政府部门下属单位",
    "city_soe": "市管国有企业",
    "dev_zone": "开发区",
    "county": "县(区)",
    "town": "镇(街道)",
    "county_organ": "县级党政机关",
    "institution": "事业单位",
    "county_soe": "县属国有企业",
    "other": "其他单位",
    "village": "村(社区)",
}

# Groups used by the "mixed rounds" rule (合理搭配: 党群、政府、事业、企业 and areas).
CATEGORY_GROUP = {
    "party_work_organ": "party",
    "party_mass_other": "party",
    "people_org": "party",
    "gov_department": "government",
    "county_organ": "government",
    "gov_subordinate": "institution",
    "institution": "institution",
    "city_soe": "enterprise",
    "county_soe": "enterprise",
    "dev_zone": "area",
    "county": "area",
    "town": "area",
    "other": "institution",
    "village": "area",
}

KIND_LABELS = {
    Kind.REGULAR: "常规巡察",
    Kind.SPECIAL: "专项巡察",
    Kind.CROSS: "交叉巡察",
    Kind.FOLLOW_UP: "巡察“回头看”",
}


@dataclass(frozen=True, order=True)
class Committee:
    """A committee that plans its own rounds: the city committee, or one county committee."""

    county: str = ""

    @property
    def level(self) -> Level:
        return Level.COUNTY if self.county else Level.CITY

    @property
    def key(self) -> str:
        """``city`` or the county's name: how plan files and options name the committee."""
        return self.county or Level.CITY.value

    @classmethod
    def of_key(cls, key: str) -> Committee:
        return cls("" if key in ("", Level.CITY.value) else key)


CITY = Committee()
