"""Files written whole or not at all: every file polybrief writes for a user goes through here.

A temporary file beside the target takes the writing and is renamed over it only when the writer
succeeds, so a reader (or a crash) never sees half a file and a failure leaves what was there before.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
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


def folder_in_use(folder: Path, ours: Callable[[Path], bool]) -> bool:
    """Whether ``folder`` holds something a command must not replace: it is a file, or a non-empty folder
    that ``ours`` does not recognise as this command's earlier output."""
    if folder.exists() and not folder.is_dir():
        return True
    return folder.is_dir() and any(folder.iterdir()) and not ours(folder)


@contextmanager
def fresh_folder(target: str | Path) -> Iterator[Path]:
    """A new empty folder beside ``target`` that takes its place when the block succeeds: the result holds
    exactly what the block wrote (nothing of an earlier output survives inside it), and a failure leaves
    ``target`` as it was. The caller checks first that ``target`` is empty or its own (``folder_in_use``)."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700 folders; an output is as readable as any other
    except OSError as exc:
        raise PolybriefError(f"cannot write to {target}: {exc.strerror or exc}") from None
    try:
        yield tmp
        _swap_in(tmp, target)
    except OSError as exc:
        raise PolybriefError(f"cannot write to {target}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already when it was swapped in


def _swap_in(tmp: Path, target: Path) -> None:
    """Put ``tmp`` where ``target`` is: the old folder is moved aside first and removed after."""
    old = None
    if target.is_dir() and not target.is_symlink():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rename(target, old / target.name)
    elif target.is_symlink():
        target.unlink()
    os.rename(tmp, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


__all__ = ["atomic_path", "atomic_write", "folder_in_use", "fresh_folder", "write_text_atomic"]
