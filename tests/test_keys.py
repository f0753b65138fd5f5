"""The list of --set keys: every key it names is accepted, with its meaning and its value now."""

from __future__ import annotations

import pytest

from planner.loading import load_scenario
from planner.overrides import apply_overrides, setting_keys, yaml_text
from planner.scenario import Scenario


@pytest.fixture(scope="module")
def shangluo() -> Scenario:
    return load_scenario()


def test_every_settings_key_takes_its_listed_value_back(shangluo):
    keys = [k for k in setting_keys(shangluo) if "<" not in k.key]  # placeholders such as <编号> name no one key
    assert len(keys) > 50
    variant = apply_overrides(shangluo, [f"{k.key}={k.value}" for k in keys])
    assert variant.model_dump() == shangluo.model_dump()


def test_the_list_names_each_setting_of_scenario_yaml_with_its_meaning(shangluo):
    found = {k.key: k for k in setting_keys(shangluo)}
    assert found["staff.city.drafted_pool"].meaning == "市委: 每轮可抽调干部数 (人才库)"
    assert found["staff.city.drafted_pool"].value == "15"
    assert found["rounds.regular.onsite_weeks_by_category.town"].meaning == "常规巡察: 按类别另定的进驻周数: 镇(街道)"
    assert found["horizon.end"].value == "2031-12-31"
    assert found["teams.<编号>.leader_filled"].value == "市级 C1=1, C2=1, C3=1, C4=1, C5=0"
    # Every key is explained in Chinese, not by its own name.
    assert all(k.meaning and not k.meaning.isascii() for k in found.values())


def test_a_changed_value_shows_in_the_list(shangluo):
    variant = apply_overrides(shangluo, ["staff.city.drafted_pool=8", "teams.C5.leader_filled=1"])
    found = {k.key: k.value for k in setting_keys(variant)}
    assert found["staff.city.drafted_pool"] == "8"
    assert found["teams.<编号>.leader_filled"].endswith("C5=1")


def test_yaml_text_writes_what_the_yaml_reader_reads_back():
    assert yaml_text({"county": 10}) == "{county: 10}"
    assert yaml_text(("甲", "乙")) == "[甲, 乙]"
    assert yaml_text(True) == "true"
