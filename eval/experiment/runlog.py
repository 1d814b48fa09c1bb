"""Append-only JSONL files that survive being killed at any instant.

Each record is written as one line, flushed and fsynced before the next piece of work
starts, so after a crash (even ``kill -9``) the file holds every finished record and at
most one torn last line, which ``read_records`` drops and ``JsonlLog`` truncates away.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from polybrief.core.errors import PolybriefError
from polybrief.core.files import write_text_atomic


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Complete records of a JSONL file; a torn last line (no newline, bad JSON) is skipped."""
    if not path.exists():
        return
    with path.open("rb") as handle:
        for line in handle:
            if not line.endswith(b"\n"):
                return
            try:
                yield json.loads(line)
            except json.JSONDecodeError:
                return


class JsonlLog:
    """An append-only JSONL file: opens after the last complete line, fsyncs every record."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._truncate_torn_tail()
            self._handle = path.open("ab")
        except OSError as exc:
            raise PolybriefError(f"cannot write {path}: {exc.strerror or exc}") from None

    def _truncate_torn_tail(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        keep = data.rfind(b"\n") + 1
        if keep != len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(keep)

    def append_many(self, records: list[dict[str, Any]]) -> None:
        """Write records and fsync once: a batch of a thousand segments costs one disk flush, not a
        thousand, and a crash still leaves whole lines plus at most one torn one."""
        self.append_lines([json.dumps(r, ensure_ascii=False) for r in records])

    def append_lines(self, lines: list[str]) -> None:
        """``append_many`` for records already encoded as JSON (one line each, no newline)."""
        if not lines:
            return
        data = "".join(line + "\n" for line in lines).encode("utf-8")
        try:
            self._handle.write(data)
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise PolybriefError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> JsonlLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON whole or not at all: readers never see half a file."""
    write_text_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


__all__ = ["JsonlLog", "read_records", "write_json_atomic"]
