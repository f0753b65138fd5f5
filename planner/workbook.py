"""assignments.xlsx: the plan as a workbook the office edits, and reading the edit back.

``xuncha plan`` writes it beside assignments.csv. Dates live once per round,
in the sheet 轮次 (rounds); the sheet 安排 (assignments) has one row per team
and unit and says which round and team. The office moves a unit by editing its
轮次 or 巡察组编号, shifts a round by editing its 进驻开始 in 轮次, and may add
rounds there. Everything else follows from the scenario, as in the model: a
team's on-site weeks from its units (a special round's from the round row),
preparation and report weeks, staffing; villages riding with their town (巡镇带村)
are not rows of their own but go with the town.

Columns are keys (editable) or display (names, the round's kind and date shown
on each row, computed by formulas). A display cell that contradicts its key is
an error naming sheet, row and field: the reader never guesses which one the
office meant. Reading gives the same table as assignments.csv, so ``check``,
``plan --baseline`` and ``replan`` take an edited workbook as they take a plan.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from planner.columns import normalize
from planner.plan import ASSIGNMENT_COLUMNS, ASSIGNMENTS_FILE, EXTRA_COLUMNS, PlanDir, PlanReadError, read_plan
from planner.printouts.xlsx_writer import fit_to_page_width
from planner.scenario import Scenario
from planner.vocabulary import CATEGORY_LABELS, KIND_LABELS, Committee, Kind, Level

WORKBOOK_FILE = "assignments.xlsx"
ROWS_SHEET = "安排"
ROUNDS_SHEET = "轮次"
NOTES_SHEET = "说明"
CITY_LABEL = "市委"
DATE_FORMAT = "yyyy-mm-dd"
KEY_FILL = PatternFill("solid", fgColor="FCE4D6")  # header of a column the office may edit
SHOWN_FILL = PatternFill("solid", fgColor="E7E6E6")  # header and cells of a column the tool fills in
HEADER_FONT = Font(bold=True)
KIND_OF_LABEL = {label: kind for kind, label in KIND_LABELS.items()} | {k.value: k for k in Kind}


@dataclass(frozen=True)
class Column:
    code: str
    header: str
    key: bool  # the office edits it; otherwise it shows what the keys and the scenario give
    width: int = 12


ROUND_COLUMNS = (
    Column("committee", "党委", True, 10),
    Column("round", "轮次", True, 7),
    Column("kind", "类型", True, 12),
    Column("theme", "专项主题", True, 26),
    Column("start", "进驻开始", True, 12),
    Column("weeks", "进驻周数", True, 9),
    Column("end", "进驻结束", False, 12),
    Column("units", "单位数", False, 8),
    Column("sectors", "联动系统", True, 16),
    Column("key", "轮次键", False, 10),
)
ROW_COLUMNS = (
    Column("committee", "党委", True, 10),
    Column("round", "轮次", True, 7),
    Column("kind", "类型", False, 12),
    Column("team", "巡察组编号", True, 11),
    Column("team_name", "巡察组", False, 18),
    Column("target", "单位编号", True, 14),
    Column("target_name", "单位名称", False, 30),
    Column("category", "类别", False, 22),
    Column("start", "进驻开始", False, 12),
    Column("note", "备注", True, 24),
)
NOTES = (
    "本工作簿由 xuncha plan 写出, 与 assignments.csv 是同一方案。可在此修改后运行 xuncha check 方案目录 检查和评分,",
    "再运行 xuncha plan --baseline 方案目录 从修改后的方案出发重新编制 (合规的修改尽量保留)。",
    "橙色表头的列可以修改, 灰色的列由公式或程序填写, 请勿改动 (改得与编号不一致会报错)。",
    "调整单位: 在“安排”表中改该行的“轮次”或“巡察组编号”。巡察组、单位名称随编号而定, 改名称不会换组或换单位。",
    "调整一轮的时间: 只改“轮次”表中该轮的“进驻开始”; 各行的日期随之变化。专项巡察的“进驻周数”也可在此修改;",
    "常规巡察和回头看的进驻周数由各组所巡单位决定 (县区、镇办及随镇巡察的村更长), 此列仅供查看。",
    "增加一轮: 在“轮次”表中新增一行 (党委、轮次编号、类型、进驻开始), 再把单位改到该轮。轮次按进驻开始日期重新编号。",
    "随镇巡察的村 (巡镇带村) 不单列, 随所属镇办一起调整。备注列可随意填写, 程序不读取。",
)


def _committee_label(county: str) -> str:
    return county or CITY_LABEL


def workbook_bytes(frame: pd.DataFrame, scenario: Scenario) -> bytes:
    """The workbook of a plan table (assignments.csv's rows)."""
    riders = {t.id for c in scenario.committees for t in scenario.riding_villages(c)}
    towns = Counter(t.town for t in scenario.targets if t.id in riders)
    book = Workbook()
    rows = book.active
    rows.title = ROWS_SHEET
    rounds = book.create_sheet(ROUNDS_SHEET)
    notes = book.create_sheet(NOTES_SHEET)
    firsts = frame.sort_values(["county", "round"], kind="stable").drop_duplicates(["county", "round"])
    _header(rounds, ROUND_COLUMNS)
    for r, first in enumerate(firsts.itertuples(), start=2):
        mine = frame[(frame["county"] == first.county) & (frame["round"] == first.round)]
        weeks = max((e - s).days + 3 for s, e in zip(mine["onsite_start"], mine["onsite_end"])) // 7
        values = {
            "committee": _committee_label(first.county), "round": int(first.round),
            "kind": KIND_LABELS[Kind(first.kind)], "theme": first.target_name if first.kind == Kind.SPECIAL else "",
            "start": first.onsite_start, "weeks": weeks, "end": Formula(f"=E{r}+7*F{r}-3"),
            "units": "" if first.kind == Kind.SPECIAL else (
                Formula(f'=COUNTIFS({_range(ROWS_SHEET, "A")},A{r},{_range(ROWS_SHEET, "B")},B{r},'
                        f'{_range(ROWS_SHEET, "F")},"<>")')),
            "sectors": getattr(first, "linked_sectors", "") or "",
            "key": Formula(f'=A{r}&"-"&B{r}'),
        }
        _row(rounds, r, ROUND_COLUMNS, values)
    _header(rows, ROW_COLUMNS)
    keys = f"{quote_sheetname(ROUNDS_SHEET)}!$J:$J"
    shown = frame[[t not in riders for t in frame["target"]]]
    for r, row in enumerate(shown.itertuples(), start=2):
        values = {
            "committee": _committee_label(row.county), "round": int(row.round),
            "kind": Formula(f'=INDEX({quote_sheetname(ROUNDS_SHEET)}!$C:$C,MATCH(A{r}&"-"&B{r},{keys},0))'),
            "team": row.team, "team_name": getattr(row, "team_name", "") or "", "target": row.target,
            "target_name": row.target_name, "category": CATEGORY_LABELS.get(row.category, ""),
            "start": Formula(f'=INDEX({quote_sheetname(ROUNDS_SHEET)}!$E:$E,MATCH(A{r}&"-"&B{r},{keys},0))'),
            "note": f"含随镇巡察的{towns[row.target]}个村" if row.kind != Kind.FOLLOW_UP and towns[row.target] else "",
        }
        _row(rows, r, ROW_COLUMNS, values)
    rounds.column_dimensions["J"].hidden = True
    notes.column_dimensions["A"].width = 100
    for n, line in enumerate(NOTES, start=1):
        notes.cell(n, 1, line).alignment = Alignment(wrap_text=True, vertical="top")
    fit_to_page_width(notes)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _range(sheet: str, letter: str) -> str:
    return f"{quote_sheetname(sheet)}!${letter}:${letter}"


def _header(sheet: Worksheet, columns: tuple[Column, ...]) -> None:
    for n, column in enumerate(columns, start=1):
        cell = sheet.cell(1, n, column.header)
        cell.font = HEADER_FONT
        cell.fill = KEY_FILL if column.key else SHOWN_FILL
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[get_column_letter(n)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    fit_to_page_width(sheet)


class Formula(str):
    """A formula the workbook writes on purpose (a cell that follows from the keys)."""


def _row(sheet: Worksheet, r: int, columns: tuple[Column, ...], values: dict[str, Any]) -> None:
    for n, column in enumerate(columns, start=1):
        value = values[column.code]
        cell = sheet.cell(r, n, value if value != "" else None)
        if isinstance(value, dt.date) or column.code in ("start", "end"):
            cell.number_format = DATE_FORMAT
        if isinstance(value, str) and not isinstance(value, Formula) and value.startswith(("=", "+", "-", "@")):
            cell.data_type = "s"  # names people typed never run as formulas; only the workbook's own do
        if not column.key:
            cell.fill = SHOWN_FILL
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(r, 2)}"


def workbook_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ------------------------------------------------------------------------ reading back
@dataclass
class _Problems:
    file: str
    lines: list[str] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, header: str, text: str) -> None:
        where = [f"{self.file} 工作表“{sheet}”"] + ([f"第{row}行"] if row else []) + ([f"字段 {header}"] if header else [])
        self.lines.append(f"{', '.join(where)}: {text}")


@dataclass(frozen=True)
class _Round:
    county: str
    number: int
    kind: Kind
    theme: str
    start: dt.date
    weeks: int | None
    row: int
    sectors: str = ""


@dataclass(frozen=True)
class WorkbookPlan:
    """An edited workbook read back: the plan table, and what the reader did the office should know."""

    frame: pd.DataFrame
    notes: tuple[str, ...]


def read_workbook(path: Path, scenario: Scenario) -> WorkbookPlan:
    """The plan table of an (edited) assignments.xlsx; PlanReadError lists every problem by sheet, row and field."""
    problems = _Problems(Path(path).name)
    try:
        book = load_workbook(path, data_only=False)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise PlanReadError(f"{Path(path).name}: 无法读取 ({exc})") from None
    for name in (ROWS_SHEET, ROUNDS_SHEET):
        if name not in book.sheetnames:
            raise PlanReadError(f"{problems.file}: 缺少工作表“{name}”")
    rounds = _read_rounds(book[ROUNDS_SHEET], scenario, problems)
    rows = _read_rows(book[ROWS_SHEET], scenario, rounds, problems)
    if problems.lines:
        raise PlanReadError("\n".join(problems.lines))
    notes: list[str] = []
    frame = _plan_table(rows, rounds, scenario, notes)
    return WorkbookPlan(frame, tuple(notes))


def _cells(sheet: Worksheet, columns: tuple[Column, ...], problems: _Problems) -> list[tuple[int, dict[str, Any]]]:
    """Non-blank rows as {code: cell value} with their row numbers; headers may be written as codes too."""
    grid = list(sheet.iter_rows(values_only=True))
    if not grid:
        problems.add(sheet.title, None, "", "工作表为空")
        return []
    wanted = {normalize(c.header): c.code for c in columns} | {c.code: c.code for c in columns}
    codes = [wanted.get(normalize(str(h))) if h is not None else None for h in grid[0]]
    missing = [c.header for c in columns if c.key and c.code not in codes and c.code != "note"]
    for header in missing:
        problems.add(sheet.title, 1, header, "缺少此列")
    out = []
    for number, values in enumerate(grid[1:], start=2):
        cells = {code: value for code, value in zip(codes, values) if code and value not in (None, "")}
        if any(v for k, v in cells.items() if k != "note" and not _formula(v)):
            out.append((number, cells))
    return out


def _formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _county(value: Any, scenario: Scenario) -> str | None:
    text = normalize(_text(value))
    if text in ("", CITY_LABEL, Level.CITY.value, "市"):
        return ""
    return text if text in scenario.counties else None


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and float(value).is_integer():
        return int(value)
    text = _text(value).removeprefix("第").removesuffix("轮")
    return int(text) if text.isdigit() else None


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError:
        return None


def _read_rounds(sheet: Worksheet, scenario: Scenario, problems: _Problems) -> dict[tuple[str, int], _Round]:
    header = {c.code: c.header for c in ROUND_COLUMNS}
    rounds: dict[tuple[str, int], _Round] = {}
    for number, cells in _cells(sheet, ROUND_COLUMNS, problems):
        def bad(code: str, text: str) -> None:
            problems.add(sheet.title, number, header[code], text)

        county, round_number = _county(cells.get("committee"), scenario), _whole(cells.get("round"))
        kind = KIND_OF_LABEL.get(normalize(_text(cells.get("kind"))))
        start, weeks = _day(cells.get("start")), _whole(cells.get("weeks")) if "weeks" in cells else None
        if county is None:
            bad("committee", f"应为 {CITY_LABEL} 或县区名称 (填写为 '{_text(cells.get('committee'))}')")
        if round_number is None or round_number < 1:
            bad("round", f"应为轮次编号 1、2、… (填写为 '{_text(cells.get('round'))}')")
        if kind is None:
            bad("kind", f"应为 {'、'.join(KIND_LABELS.values())} (填写为 '{_text(cells.get('kind'))}')")
        if start is None:
            bad("start", f"应为日期 (填写为 '{_text(cells.get('start'))}')")
        if kind == Kind.SPECIAL and (weeks is None or weeks < 1):
            bad("weeks", f"专项巡察须填写进驻周数 (填写为 '{_text(cells.get('weeks'))}')")
        if kind == Kind.SPECIAL and not _text(cells.get("theme")):
            bad("theme", "专项巡察须填写专项主题")
        if None in (county, round_number, kind, start):
            continue
        if (county, round_number) in rounds:
            bad("round", f"{_committee_label(county)}第{round_number}轮重复 (与第{rounds[county, round_number].row}行)")
            continue
        rounds[county, round_number] = _Round(county, round_number, kind, _text(cells.get("theme")), start, weeks,
                                              number, _text(cells.get("sectors")))
    return rounds


def _read_rows(sheet: Worksheet, scenario: Scenario, rounds: dict[tuple[str, int], _Round],
               problems: _Problems) -> list[tuple[_Round, str, str]]:
    """(round, team, target) per row; every display cell checked against its key."""
    header = {c.code: c.header for c in ROW_COLUMNS}
    teams = {t.id: t for t in scenario.teams}
    team_ids = {t.name: t.id for t in scenario.teams}
    targets = {t.id: t for t in scenario.targets}
    out = []
    for number, cells in _cells(sheet, ROW_COLUMNS, problems):
        def bad(code: str, text: str) -> None:
            problems.add(sheet.title, number, header[code], text)

        county, round_number = _county(cells.get("committee"), scenario), _whole(cells.get("round"))
        if county is None:
            bad("committee", f"应为 {CITY_LABEL} 或县区名称 (填写为 '{_text(cells.get('committee'))}')")
            continue
        rnd = rounds.get((county, round_number))
        if rnd is None:
            bad("round", f"{_committee_label(county)}第{_text(cells.get('round'))}轮不在工作表“{ROUNDS_SHEET}”中")
            continue
        team_id, team_name = _text(cells.get("team")), _text(cells.get("team_name"))
        if not team_id and team_name in team_ids:
            team_id = team_ids[team_name]
        team = teams.get(team_id)
        if team is None:
            bad("team", f"未知的巡察组编号 '{team_id}'")
            continue
        if team_name and not _formula(team_name) and team_name != team.name:
            bad("team_name", f"“{team_name}”与巡察组编号 {team_id} ({team.name}) 不一致; 换组请改“巡察组编号”")
            continue
        _check_shown(cells, "kind", KIND_LABELS[rnd.kind], bad, f"由工作表“{ROUNDS_SHEET}”第{rnd.row}行决定")
        _check_shown(cells, "start", rnd.start, bad, f"请在工作表“{ROUNDS_SHEET}”第{rnd.row}行修改进驻开始")
        target_id, target_name = _text(cells.get("target")), _text(cells.get("target_name"))
        if rnd.kind == Kind.SPECIAL:
            if target_id:
                bad("target", f"专项巡察不填单位编号 (填写为 '{target_id}')")
            elif target_name and target_name != rnd.theme:
                bad("target_name", f"“{target_name}”与本轮专项主题“{rnd.theme}”不一致")
            else:
                out.append((rnd, team_id, ""))
            continue
        target = targets.get(target_id)
        if target is None:
            bad("target", f"未知的单位编号 '{target_id}'" if target_id else "未填写单位编号")
            continue
        if target_name and not _formula(target_name) and target_name != target.name:
            bad("target_name", f"“{target_name}”与单位编号 {target_id} ({target.name}) 不一致; 换单位请改“单位编号”")
            continue
        _check_shown(cells, "category", CATEGORY_LABELS[target.category], bad, "类别由单位编号决定")
        out.append((rnd, team_id, target_id))
    return out


def _check_shown(cells: dict[str, Any], code: str, expected: Any, bad, hint: str) -> None:
    """A display cell typed over (not a formula) must say what its key says."""
    value = cells.get(code)
    if value is None or _formula(value):
        return
    found = _day(value) if isinstance(expected, dt.date) else _text(value)
    if found != expected:
        bad(code, f"“{_text(value)}”与应有的“{expected}”不一致; {hint}")


def _plan_table(rows: list[tuple[_Round, str, str]], rounds: dict[tuple[str, int], _Round], scenario: Scenario,
                notes: list[str]) -> pd.DataFrame:
    """assignments.csv's rows: dates, stays, staffing and riding villages derived as the model derives them."""
    teams = {t.id: t for t in scenario.teams}
    targets = {t.id: t for t in scenario.targets}
    riders: dict[str, list[str]] = defaultdict(list)  # town -> the villages riding with it, whichever team goes
    for committee in scenario.committees:
        for village in scenario.riding_villages(committee):
            riders[village.town].append(village.id)
    by_team: dict[tuple[str, int, str], list[str]] = defaultdict(list)
    for rnd, team, target in rows:
        units = by_team[rnd.county, rnd.number, team]
        if target and target not in units:
            units.append(target)
            if rnd.kind in (Kind.REGULAR, Kind.CROSS):
                units.extend(v for v in riders[target] if v not in units)
    numbers = _numbers(rounds, notes)
    out = []
    for (county, number, team_id), units in by_team.items():
        rnd, team = rounds[county, number], teams[team_id]
        policy = scenario.policy(Committee(county))
        kind = Kind.REGULAR if rnd.kind == Kind.CROSS else rnd.kind
        rules = policy.rounds.policy(kind)
        weeks = rnd.weeks if rnd.kind == Kind.SPECIAL else max(
            _stay(targets[u], rules.onsite_weeks_for(targets[u].category), units, targets, policy, kind)
            for u in units)
        end = rnd.start + dt.timedelta(days=7 * weeks - 3)
        drafted, leader = policy.need_drafted(team, rnd.kind), not team.has_leader
        base = {"round": numbers[county, number], "kind": rnd.kind.value,
                "level": (Level.COUNTY if county else Level.CITY).value, "county": county, "team": team_id,
                "onsite_start": rnd.start, "onsite_end": end, "busy_start": rnd.start - dt.timedelta(weeks=rules.prep_weeks),
                "busy_end": end + dt.timedelta(weeks=rules.report_weeks), "team_size": team.filled + leader + drafted,
                "drafted": drafted, "leader": "drafted" if leader else "permanent", "round_start": rnd.start,
                "team_name": team.name, "linked_sectors": rnd.sectors}
        for unit in units or [""]:
            t = targets.get(unit)
            out.append(base | ({"target": "", "target_name": rnd.theme, "category": "", "target_county": "",
                                "sector": ""} if t is None else
                               {"target": t.id, "target_name": t.name, "category": t.category, "sector": t.sector,
                                "target_county": t.county if t.level == Level.COUNTY or t.category == "county" else ""}))
    frame = pd.DataFrame(out, columns=list(ASSIGNMENT_COLUMNS) + list(EXTRA_COLUMNS))
    frame["round_end"] = frame.groupby(["county", "round"])["onsite_end"].transform("max")
    for (county, number), rnd in rounds.items():
        if (county, number) not in {(c, n) for c, n, _ in by_team}:
            notes.append(f"{_committee_label(county)}第{number}轮 (工作表“{ROUNDS_SHEET}”第{rnd.row}行) 没有安排巡察组, 已略去")
        elif rnd.kind != Kind.SPECIAL and rnd.weeks is not None:
            longest = frame.loc[(frame["county"] == county) & (frame["round"] == numbers[county, number]), "onsite_end"]
            weeks = ((longest.max() - rnd.start).days + 3) // 7
            if weeks != rnd.weeks:
                notes.append(f"{_committee_label(county)}第{number}轮的进驻周数按所巡单位计为{weeks}周 "
                             f"(工作表“{ROUNDS_SHEET}”第{rnd.row}行写的是{rnd.weeks}周), 以所巡单位为准")
    for column in ("round_start", "round_end"):  # as read_plan reads them from assignments.csv
        frame[column] = [d.isoformat() for d in frame[column]]
    return frame.sort_values(["county", "round"], kind="stable").reset_index(drop=True)


def _stay(target, base: int, units: list[str], targets: dict, policy, kind: Kind) -> int:
    """A unit's on-site weeks; a town's grows with the villages riding with it in the same team."""
    if kind != Kind.REGULAR or target.category != "town":
        return base
    villages = sum(1 for u in units if targets[u].category == "village" and targets[u].town == target.id)
    return policy.villages.town_weeks(base, villages)


def _numbers(rounds: dict[tuple[str, int], _Round], notes: list[str]) -> dict[tuple[str, int], int]:
    """Rounds of each committee numbered again by their first on-site day, the changes noted."""
    numbers = {}
    for county in sorted({c for c, _ in rounds}):
        mine = sorted((r for r in rounds.values() if r.county == county), key=lambda r: (r.start, r.number))
        for n, rnd in enumerate(mine, start=1):
            numbers[county, rnd.number] = n
            if n != rnd.number:
                notes.append(f"{_committee_label(county)}原第{rnd.number}轮按进驻开始日期 ({rnd.start}) 重新编为第{n}轮")
    return numbers


# -------------------------------------------------------------------- a plan directory
@dataclass(frozen=True)
class PlanTable:
    """A plan as the office has it now: the edited workbook when it was edited, else assignments.csv."""

    plan: PlanDir
    source: str
    notes: tuple[str, ...] = ()

    @property
    def edited(self) -> bool:
        return self.source == WORKBOOK_FILE


def read_plan_table(plan_dir: str | Path, scenario: Scenario) -> PlanTable:
    """The plan in ``plan_dir``, with the office's edit of assignments.xlsx if there is one.

    The workbook counts as edited when its bytes differ from those ``plan``
    wrote (plan.json keeps their digest); an unedited one is the csv again.
    """
    plan = read_plan(plan_dir)
    path = Path(plan_dir) / WORKBOOK_FILE
    if not path.is_file() or workbook_digest(path.read_bytes()) == plan.meta.get("workbook_sha256"):
        return PlanTable(plan, ASSIGNMENTS_FILE)
    edited = read_workbook(path, scenario)
    return PlanTable(PlanDir(plan.path, edited.frame, plan.meta), WORKBOOK_FILE, edited.notes)
