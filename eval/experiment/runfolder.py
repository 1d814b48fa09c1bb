"""One run at a time per run folder, and a folder that concurrent runs damaged put right before it is used.

Two ``polybrief run`` of one config map to one folder: without a lock both append every item and every
prediction, and each later run tripped over the duplicates. The lock is an OS file lock (``filelock``):
it dies with its process, so a crashed or killed run never leaves the folder locked. A folder that runs
from before the lock (or any crash) left with repeated lines is rewritten without them, keeping the first
of each, which is the order a clean run would have written.
"""
from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from polybrief.core.errors import PolybriefError

log = logging.getLogger(__name__)
LOCK_NAME = "run.lock"


@contextmanager
def locked(root: Path) -> Iterator[None]:
    """Hold the run folder's lock for the block, or refuse at once in one line when another run holds it:
    waiting silently for an unknown time looks like a hang, and the user can simply run again later."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(root / LOCK_NAME), timeout=0)
        lock.acquire()
    except Timeout:
        raise PolybriefError(f"{root}: another polybrief run of this config is working in this folder; "
                             "run again when it has finished (finished work is reused)") from None
    except OSError as exc:
        raise PolybriefError(f"cannot write to {root}: {exc.strerror or exc}") from None
    try:
        yield
    finally:
        lock.release()


def _lines(path: Path) -> list[bytes]:
    """The complete lines of a JSONL file (a torn last line, which the log truncates anyway, left out)."""
    data = path.read_bytes()
    return data[: data.rfind(b"\n") + 1].splitlines(keepends=True)


def _key_of(line: bytes, key: Callable[[dict[str, Any]], Any], where: str) -> Any:
    """The identity of one line's record; a damaged line in the middle cannot be put right by guessing."""
    try:
        record = json.loads(line)
        return key(record)
    except (ValueError, KeyError, TypeError):
        raise PolybriefError(f"{where}: damaged line (not a record this run wrote); delete the run folder "
                             f"{Path(where.rsplit(':', 1)[0]).parent} and run again") from None


def drop_repeats(path: Path, key: Callable[[dict[str, Any]], Any]) -> int:
    """Rewrite ``path`` without lines whose record repeats an earlier one's ``key`` (kept: the first);
    returns how many were dropped. A file without repeats is not touched."""
    if not path.exists():
        return 0
    lines = _lines(path)
    seen: set[Any] = set()
    kept = []
    for number, line in enumerate(lines, 1):
        ident = _key_of(line, key, f"{path}:{number}")
        if ident not in seen:
            seen.add(ident)
            kept.append(line)
    dropped = len(lines) - len(kept)
    if dropped:
        tmp = path.with_name(f".{path.name}.repair")
        tmp.write_bytes(b"".join(kept))
        os.replace(tmp, path)
    return dropped


def repair(inputs: Path, predictions: Path, id_key: str) -> None:
    """Drop the repeated items and predictions that runs writing at once (before runs were locked) left,
    with one warning, so the run resumes instead of failing on them."""
    dropped = drop_repeats(inputs, lambda r: r[id_key])
    dropped += drop_repeats(predictions, lambda r: (r["system"], r[id_key]))
    if dropped:
        log.warning("%s: dropped %d repeated line(s) left by runs that wrote at once; resuming",
                    inputs.parent, dropped)


__all__ = ["LOCK_NAME", "drop_repeats", "locked", "repair"]
