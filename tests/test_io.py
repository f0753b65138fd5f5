"""Atomic output: a plan directory is whole or untouched, and never a stranger's folder."""

import os
import subprocess
import sys

import pytest

from planner.io import OutputError, atomic_directory, atomic_write_bytes, atomic_write_many, clean_leftovers


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


def _dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_a_killed_runs_leftovers_are_removed_and_a_running_ones_kept(tmp_path):
    dead = _dead_pid()
    (tmp_path / f".plan.new.{dead}.abc").mkdir()
    (tmp_path / f".plan.new.{dead}.abc" / "assignments.csv").write_text("half")
    (tmp_path / f".gantt.png.tmp.{dead}.xyz").write_bytes(b"half")
    (tmp_path / f".plan.new.{os.getppid()}.def").mkdir()  # a run still at work
    (tmp_path / ".plan.notes").write_text("a user's hidden file")

    removed = clean_leftovers(tmp_path / "plan") + clean_leftovers(tmp_path / "gantt.png")

    assert sorted(p.name for p in removed) == [f".gantt.png.tmp.{dead}.xyz", f".plan.new.{dead}.abc"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".plan.new.{os.getppid()}.def", ".plan.notes"]


def test_a_plan_caught_between_the_two_renames_of_a_swap_comes_back(tmp_path):
    retired = tmp_path / f".plan.old.{_dead_pid()}.abc"
    (retired / "plan").mkdir(parents=True)
    (retired / "plan" / "assignments.csv").write_text("the earlier plan")

    clean_leftovers(tmp_path / "plan")

    assert (tmp_path / "plan" / "assignments.csv").read_text() == "the earlier plan"
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_several_files_are_written_all_or_none(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old a")
    synced = []

    def full_on_the_second_file(fd):
        synced.append(fd)
        if len(synced) == 2:
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_on_the_second_file)
    with pytest.raises(OutputError, match="b.pdf: 无法写入 \\(磁盘空间不足\\)"):
        atomic_write_many({tmp_path / "a.pdf": b"new a", tmp_path / "b.pdf": b"new b"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"
