"""The parts of a printout that come from the scenario's ``document`` settings, not from the plan."""

from __future__ import annotations

import datetime as dt

from planner.printouts.document import Header, Signature
from planner.printouts.rounds import issuer_name
from planner.scenario import Scenario
from planner.vocabulary import Level


def document_header(scenario: Scenario) -> Header:
    settings = scenario.document
    return Header(settings.copy_number, settings.classification, settings.secrecy_period)


def signature(scenario: Scenario, level: str = Level.CITY.value, county: str = "",
              date: dt.date | None = None) -> Signature:
    """落款 of the committee's office; 成文日期 from ``date``, else the scenario, else today."""
    return Signature(issuer_name(scenario, level, county), date or scenario.document.date or dt.date.today())
