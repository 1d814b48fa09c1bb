"""Files written whole or not at all: every file polybrief writes for a user goes through here.

A temporary file beside the target takes the writing and is renamed over it only when the writer
succeeds, so a reader (or a crash) never sees half a file and a failure leaves what was there before.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import PolybriefError


def _umask() -> int:
    """The process umask (reading it means setting it; it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def atomic_path(path: str | Path, keep_partial: bool = False) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that wants a file name (parquet, ...); it replaces
    ``path`` when the block ends without an error. Interrupted (Ctrl-C) with ``keep_partial``, what was
    written is kept as ``PATH.partial``; otherwise a failure leaves ``path`` as it was."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise PolybriefError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = Path(tmp_name)
    try:
        yield tmp
    except KeyboardInterrupt:
        if keep_partial:
            os.replace(tmp, target.with_name(target.name + ".partial"))
        else:
            tmp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PolybriefError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600 files; an output is as readable as any other file
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PolybriefError(f"cannot write {target}: {exc.strerror or exc}") from None


@contextmanager
def atomic_write(path: str | Path, keep_partial: bool = False) -> Iterator[IO[str]]:
    """A text handle whose content replaces ``path`` when the block ends without an error (``atomic_path``)."""
    with atomic_path(path, keep_partial) as tmp, tmp.open("w", encoding="utf-8") as handle:
        yield handle


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    with atomic_write(path) as handle:
        handle.write(text)
