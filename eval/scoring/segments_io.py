"""Reading segments for scoring: plain text (one per line) or JSONL (a string or an object per line)."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from polybrief.core import jsonline
from polybrief.core.errors import InputError
from polybrief.core.readers import read_file_bytes, segment_lines, segment_text

log = logging.getLogger(__name__)
TEXT_FIELDS = ("text", "hyp", "hypothesis", "mt", "prediction", "summary", "briefing", "ref", "reference", "src")


def _from_json(line: str, where: str) -> str:
    try:
        value = jsonline.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc.msg})") from None
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in TEXT_FIELDS:
            if isinstance(value.get(key), str):
                return value[key]
    raise InputError(f"{where}: expected a string or an object with one of: {', '.join(TEXT_FIELDS)}")


def read_segments(path: str | Path) -> list[str]:
    """Segments of a file; a .jsonl file may hold newlines inside a segment (sentences for ROUGE-Lsum)."""
    path = Path(path)
    if path.suffix in (".jsonl", ".ndjson"):
        lines = segment_text(read_file_bytes(path), str(path)).split("\n")
        lines[0] = lines[0].removeprefix("\ufeff")  # a byte-order mark is not JSON
        segments = [_from_json(line, f"{path}:{i}") for i, line in enumerate(lines, 1) if line.strip()]
    else:
        segments = segment_lines(path)  # the one rule a run reads its test set and outputs by
    if not segments or not any(s.strip() for s in segments):
        raise InputError(f"{path}: no non-empty segment")
    empty = sum(1 for s in segments if not s.strip())
    if empty:
        log.warning("%s: %d empty segment(s), scored as empty", path, empty)
    return segments


__all__ = ["TEXT_FIELDS", "read_segments"]
