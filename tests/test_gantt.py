import datetime as dt
import itertools
import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pytest
from matplotlib.text import Text
from typer.testing import CliRunner

from cli import app
from planner.gantt import gantt_bars, gantt_file_name, plot_gantt, write_gantt
from planner.loading import load_scenario
from planner.plan import read_plan
from planner.printouts.rounds import round_frame, short_name, short_names
from plan_fixture import write_plan


@pytest.fixture(scope="module")
def shangluo():
    return load_scenario()


@pytest.fixture(scope="module")
def plan(shangluo, tmp_path_factory):
    return read_plan(write_plan(shangluo, tmp_path_factory.mktemp("plan")))


def onsite_patches(fig):
    return [p for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith("onsite-")]


def test_one_onsite_bar_per_team_and_round_at_its_dates(plan, shangluo):
    table = plan.assignments
    fig = plot_gantt(table, shangluo)
    patches = onsite_patches(fig)
    groups = table.groupby(["team", "round"])
    assert len(patches) == groups.ngroups
    drawn = sorted((p.get_gid(), round(p.get_x(), 3), round(p.get_x() + p.get_width(), 3)) for p in patches)
    expected = sorted(
        (f"onsite-{r}", round(mdates.date2num(g.onsite_start.min()), 3),
         round(mdates.date2num(g.onsite_end.max() + dt.timedelta(days=1)), 3))
        for (_, r), g in groups
    )
    assert drawn == expected
    plt.close(fig)


def test_year_filter_keeps_only_rounds_starting_that_year(plan, shangluo):
    rounds = round_frame(plan.assignments)
    fig = plot_gantt(plan.assignments, shangluo, year=2028)
    drawn = {int(p.get_gid().split("-")[1]) for p in onsite_patches(fig)}
    assert drawn == set(rounds.index[rounds["year"] == 2028])
    plt.close(fig)


def test_rows_by_round(plan, shangluo):
    labels, bars = gantt_bars(plan.assignments, shangluo, by="round")
    assert labels[0] == "第1轮" and len(labels) == plan.assignments["round"].nunique()
    assert all(labels[b.row] == f"第{b.round}轮" for b in bars)


@pytest.mark.parametrize("options", [{}, {"by": "round"}, {"year": 2028}, {"lang": "en"}])
def test_overview_labels_do_not_collide_and_stay_on_the_page(plan, shangluo, options):
    fig = plot_gantt(plan.assignments, shangluo, **options)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    page = fig.bbox
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip() and t.figure is fig]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for text, box in boxes:
        assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1, text
    overlapping = [
        (a, b) for (a, box_a), (b, box_b) in itertools.combinations(boxes, 2) if box_a.overlaps(box_b)
    ]
    assert not overlapping
    # Every inline label and number sits inside its bar.
    bars = [p.get_window_extent(renderer) for p in onsite_patches(fig)]
    for text in texts:
        if text.get_zorder() == 4:
            box = text.get_window_extent(renderer)
            assert any(b.x0 <= box.x0 and box.x1 <= b.x1 and b.y0 <= box.y0 and box.y1 <= b.y1 for b in bars)
    plt.close(fig)


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_renders_without_missing_glyphs(plan, shangluo, tmp_path, suffix, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = write_gantt(plan.path, shangluo, tmp_path / f"gantt.{suffix}", lang=lang)
    assert path.stat().st_size > 10_000


def test_pdf_embeds_the_cjk_font(plan, shangluo, tmp_path):
    PdfReader = pytest.importorskip("pypdf").PdfReader
    path = write_gantt(plan.assignments, shangluo, tmp_path / "gantt.pdf")
    page = PdfReader(path).pages[0]
    fonts = [f.get_object() for f in page["/Resources"]["/Font"].values()]
    descriptors = [d["/FontDescriptor"] for f in fonts for d in f.get("/DescendantFonts", [])]
    assert any("/FontFile2" in d and "WenQuanYi" in d["/FontName"] for d in descriptors)
    assert "中共商洛市委" in page.extract_text()


@pytest.mark.parametrize(
    "name, short",
    [
        ("中共商州区委员会", "商州区委"),
        ("市委组织部", "组织部"),
        ("市教育局", "教育局"),
        ("商洛市城市建设投资集团有限公司", "城市建设投资集团"),
        ("共青团商洛市委", "共青团商洛市委"),
        ("商洛高新技术产业开发区", "高新技术产业开发区"),
    ],
)
def test_short_names(shangluo, name, short):
    assert short_name(name, shangluo) == short


def test_svg_keeps_its_text_as_text_with_cjk_fallback_fonts(plan, shangluo, tmp_path):
    path = write_gantt(plan.assignments, shangluo, tmp_path / "gantt.svg")
    svg = path.read_text(encoding="utf-8")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert any("中共商洛市委巡察工作安排" in t for t in texts)
    families = re.findall(r"font-family: ([^;\"]*)", svg)
    assert families and all(f.startswith("'WenQuanYi Micro Hei', 'Microsoft YaHei', SimHei") for f in families)
    assert "<path" not in "".join(t for t in texts)


@pytest.mark.parametrize(
    "options, name",
    [({}, "gantt.png"), ({"lang": "en"}, "gantt-en.png"), ({"by": "round", "year": 2028, "suffix": "svg"},
                                                             "gantt-round-2028.svg"),
     ({"county": "洛南县", "lang": "en", "suffix": "pdf"}, "gantt-洛南县-en.pdf")],
)
def test_file_names_carry_every_option_that_changes_the_chart(options, name):
    assert gantt_file_name(**options) == name


def test_english_chart_never_overwrites_the_chinese_one(plan, tmp_path):
    runner = CliRunner()
    for lang in ("zh", "en"):
        result = runner.invoke(app, ["gantt", str(plan.path), "--lang", lang, "--out", str(tmp_path)])
        assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gantt-en.png", "gantt.png"]
    assert (tmp_path / "gantt.png").read_bytes() != (tmp_path / "gantt-en.png").read_bytes()


def test_chart_labels_tell_the_two_general_offices_apart(shangluo):
    labels = short_names(["市委办公室", "市政府办公室"], shangluo)
    assert labels["市委办公室"] != "办公室" and len(set(labels.values())) == 2
