"""Atomic output: a file is whole or absent, a plan directory whole or untouched.

Temporary files and staging folders are hidden siblings of what they become
and carry the writer's process id (``.out.new.4711.k2j3``, ``.gantt.png.tmp.4711.x8q``):
a later run removes those whose process is gone (a killed run), and leaves
alone those of a run still at work. :func:`check_output_dir` and
:func:`check_output_files` refuse an unusable output before any work starts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import signal
import tempfile
import threading
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

STAGING, RETIRED, TEMPORARY = "new", "old", "tmp"
MIN_FREE_BYTES = 16 * 2**20  # a plan folder with its chart and plan.html is about 6 MB; printouts a few MB

_REASONS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "只读的文件系统",
    errno.ENOENT: "路径不存在",
    errno.ENOTDIR: "路径中有一项是文件而不是目录",
    errno.EISDIR: "是一个目录",
    errno.EEXIST: "已存在",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "磁盘读写出错",
}


class OutputError(Exception):
    """An output path that must not or cannot be written (the message is for the office).

    ``reason`` is set when writing failed (a full disk, no permission).
    """

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason


class WriteInterrupted(KeyboardInterrupt):
    """Ctrl-C while ``path`` was written; ``kept`` says whether the new output is in place."""

    def __init__(self, path: Path, kept: bool):
        super().__init__(str(path))
        self.path = path
        self.kept = kept


def os_reason(exc: OSError) -> str:
    """The cause of an OS error in a few Chinese words."""
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def crash_log(exc: BaseException, command: Iterable[str]) -> Path | None:
    """Write the traceback of an unexpected error (and the ``command`` run) to a private file in
    the temp folder, never anywhere else, never sent; its path, or None when it cannot be written."""
    path = Path(tempfile.gettempdir()) / f"xuncha-error-{dt.datetime.now():%Y%m%d-%H%M%S}-{os.getpid()}.log"
    text = f"xuncha {' '.join(command)}\n\n" + "".join(traceback.format_exception(exc))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return None
    return path


_journal: list[list[Path]] = []


@contextlib.contextmanager
def recorded_outputs() -> Iterator[list[Path]]:
    """Collect the outputs completed inside the block (to tell a person what was written)."""
    written: list[Path] = []
    _journal.append(written)
    try:
        yield written
    finally:
        _journal.remove(written)


def _completed(path: Path) -> None:
    for written in _journal:
        written.append(path)


def _forget(staging: Path) -> None:
    """Files put into a staging folder are outputs only once the folder is swapped in."""
    for written in _journal:
        written[:] = [p for p in written if staging not in Path(p).resolve().parents]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _prefix(name: str, kind: str) -> str:
    return f".{name}.{kind}.{os.getpid()}."


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(path: Path) -> list[Path]:
    """Remove what killed runs left beside ``path``; return what was removed.

    A plan folder caught between the two renames of a swap (the old one
    moved aside, the new one not yet in place) gets the old one back.
    """
    path = Path(path)
    pattern = re.compile(rf"\.{re.escape(path.name)}\.({STAGING}|{RETIRED}|{TEMPORARY})\.(\d+)\..+")
    removed = []
    if not path.parent.is_dir():
        return removed
    for leftover in path.parent.iterdir():
        found = pattern.fullmatch(leftover.name)
        if not found or int(found[2]) == os.getpid() or _alive(int(found[2])):
            continue
        if found[1] == RETIRED and not os.path.lexists(path) and (leftover / path.name).is_dir():
            os.replace(leftover / path.name, path)
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
        removed.append(leftover)
    return removed


@contextlib.contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C over renames that must happen together; it takes effect right after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous if previous is not None else signal.default_int_handler)
    if caught:
        raise KeyboardInterrupt


def _existing_ancestor(path: Path) -> Path:
    """The nearest folder above ``path`` (or ``path``) that exists; a file on the way is refused."""
    for folder in (path, *path.parents):
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(f"{folder}: 是文件, 不能在其中建立输出目录")
            return folder
    return Path(path.anchor)


def _writable(shown: Path, path: Path) -> None:
    """``path`` (a folder as given, existing or to be made) can take new files and has room for them."""
    folder = _existing_ancestor(path)
    if not os.access(folder, os.W_OK | os.X_OK):
        reason = "只读的文件系统" if _read_only(folder) else "没有写入权限"
        raise OutputError(f"{shown}: 无法写入 ({reason}: {folder})")
    free = shutil.disk_usage(folder).free
    if free < MIN_FREE_BYTES:
        raise OutputError(f"{shown}: 磁盘空间不足 ({folder} 只剩 {free // 1024} KB)")


def _read_only(folder: Path) -> bool:
    return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)


def check_output_dir(out: str | Path, markers: tuple[str, ...] = (), keep: Iterable[str | Path] = ()) -> None:
    """Refuse, before any work, a folder that :func:`atomic_directory` would not replace.

    ``out`` is replaced whole, so it must be a folder that is empty or holds one
    of ``markers`` (an earlier output of the same kind), must not be or hold the
    working directory or any of ``keep`` (the scenario folder), and its parent
    must be writable.
    """
    shown = Path(out)
    out = shown.resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{shown}: 已存在且不是目录")
    for folder, label in [(Path.cwd().resolve(), "当前目录")] + [(Path(k).resolve(), "场景目录") for k in keep]:
        if out == folder or out in folder.parents:
            raise OutputError(f"{shown}: 是{label}{'' if out == folder else '的上级目录'}, 输出时整个目录会被替换, "
                              f"请另选输出目录")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).exists() for m in markers):
        raise OutputError(f"{shown}: 目录非空且不是方案目录, 为免覆盖其中文件, 请另选输出目录")
    _writable(shown, shown.parent)
    clean_leftovers(out)


def check_output_files(folder: str | Path, names: Iterable[str]) -> None:
    """Refuse, before any work, a folder that cannot take files ``names``."""
    shown = Path(folder)
    folder = shown.resolve()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{shown}: 已存在且不是目录")
    _writable(shown, shown)
    for name in names:
        if (folder / name).is_dir():
            raise OutputError(f"{shown / name}: 是一个目录, 无法写成文件")
        clean_leftovers(folder / name)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _staged_file(path: Path, data: bytes) -> Path:
    """``data`` in a synced temporary file beside ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=_prefix(path.name, TEMPORARY), dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def atomic_write_many(files: dict[Path, bytes]) -> None:
    """Write every file or none: all are staged before the first one is put in place."""
    staged: dict[Path, Path] = {}
    path = Path()
    try:
        for path, data in files.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            clean_leftovers(path)
            staged[path] = _staged_file(path, data)
        with _ctrl_c_held():
            for path, tmp in staged.items():
                os.replace(tmp, path)
                _completed(path)
    except KeyboardInterrupt:
        kept = len(staged) == len(files) and not any(tmp.exists() for tmp in staged.values())
        _remove(staged.values())
        raise WriteInterrupted(path, kept) from None
    except OSError as exc:
        _remove(staged.values())
        raise OutputError(f"{path}: 无法写入 ({os_reason(exc)})", os_reason(exc)) from None
    except BaseException:
        _remove(staged.values())
        raise


def _remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    atomic_write_many({Path(path): data})


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


@contextlib.contextmanager
def atomic_directory(out: Path, markers: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``out`` whole.

    Files of an earlier plan in ``out`` go with it: charts or printouts of an
    old plan beside a new table would mislead. On any error (or Ctrl-C before
    the swap) ``out`` is left exactly as it was and the staging folder is
    removed. An existing ``out`` is replaced only if it is empty or holds one
    of ``markers`` (an earlier output of the same kind), so a mistyped
    ``--out`` never wipes a folder. Ctrl-C during the swap takes effect after
    it (:class:`WriteInterrupted` with ``kept``).
    """
    shown = Path(out)
    out = shown.resolve()
    check_output_dir(shown, markers)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=_prefix(out.name, STAGING), dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{shown}: 无法写入 ({os_reason(exc)})", os_reason(exc)) from None
    try:
        os.chmod(staging, 0o777 & ~_umask())
        yield staging
        for path in staging.rglob("*"):
            if path.is_file():
                _fsync(path)
        with _ctrl_c_held():
            _swap(staging, out)
    except KeyboardInterrupt:
        kept = not staging.exists()
        shutil.rmtree(staging, ignore_errors=True)
        if kept:
            _completed(shown)
        raise WriteInterrupted(shown, kept) from None
    except (OSError, OutputError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        reason = os_reason(exc) if isinstance(exc, OSError) else exc.reason
        if not reason:
            raise
        raise OutputError(f"{shown}: 无法写入 ({reason}), 原有内容保持不变", reason) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        _forget(staging)
    _completed(shown)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=_prefix(out.name, RETIRED), dir=out.parent))
    os.replace(out, retired / out.name)
    try:
        os.replace(staging, out)
    except BaseException:
        os.replace(retired / out.name, out)
        raise
    finally:
        shutil.rmtree(retired, ignore_errors=True)
