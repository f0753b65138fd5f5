"""Atomic output: a file is whole or absent, a plan directory whole or untouched."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual file mode
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str, encoding: str = "utf-8") -> None:
    atomic_write_bytes(path, text.encode(encoding))


class OutputError(Exception):
    """An output path that must not be written (the message is for the office)."""


@contextlib.contextmanager
def atomic_directory(out: Path, markers: tuple[str, ...] = ()) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``out`` whole.

    Files of an earlier plan in ``out`` go with it: charts or printouts of an
    old plan beside a new table would mislead. On any error (or Ctrl-C before
    the swap) ``out`` is left exactly as it was. An existing ``out`` is
    replaced only if it is empty or holds one of ``markers`` (an earlier
    output of the same kind), so a mistyped ``--out`` never wipes a folder.
    """
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: 已存在且不是目录")
    if out.is_dir() and any(out.iterdir()) and not any((out / m).exists() for m in markers):
        raise OutputError(f"{out}: 目录非空且不是方案目录, 为免覆盖其中文件, 请另选输出目录")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new.", dir=out.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        yield staging
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
