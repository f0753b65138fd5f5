"""Atomic output: a plan directory is whole or untouched, and never a stranger's folder."""

import os

import pytest

from planner.io import OutputError, atomic_directory, atomic_write_bytes


def test_replaces_an_earlier_plan_whole(tmp_path):
    out = tmp_path / "plan"
    out.mkdir()
    (out / "assignments.csv").write_text("old")
    (out / "gantt.png").write_text("old chart")
    with atomic_directory(out, markers=("assignments.csv",)) as staging:
        (staging / "assignments.csv").write_text("new")
    assert (out / "assignments.csv").read_text() == "new"
    assert not (out / "gantt.png").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_error_leaves_the_old_plan_untouched(tmp_path):
    out = tmp_path / "plan"
    out.mkdir()
    (out / "assignments.csv").write_text("old")
    with pytest.raises(RuntimeError), atomic_directory(out, markers=("assignments.csv",)) as staging:
        (staging / "assignments.csv").write_text("half")
        raise RuntimeError("solver died")
    assert (out / "assignments.csv").read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_refuses_a_folder_that_is_not_a_plan(tmp_path):
    (tmp_path / "thesis.docx").write_text("precious")
    with pytest.raises(OutputError, match="不是方案目录"), atomic_directory(tmp_path, markers=("assignments.csv",)):
        pass
    assert (tmp_path / "thesis.docx").read_text() == "precious"


def test_refuses_a_file(tmp_path):
    target = tmp_path / "out"
    target.write_text("a file")
    with pytest.raises(OutputError, match="不是目录"), atomic_directory(target):
        pass
    assert target.read_text() == "a file"


def test_atomic_write_leaves_no_temporary_file(tmp_path):
    atomic_write_bytes(tmp_path / "a.txt", b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~mask
