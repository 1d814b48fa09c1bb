"""Parallel test sets for translation experiments, and the outputs systems made on them.

Three layouts, as MT researchers keep them:

- a WMT-style folder: ``source.<src>``, ``reference.<A|B|...>.<tgt>``, ``systems/<NAME>.<tgt>``, one
  segment a line (languages read from the file names);
- a JSONL file of rows: ``src``, ``ref`` (a string) or ``refs`` (a list), optional ``seg_id``,
  ``doc_id``, and any other columns (a column can be a system's outputs);
- a Hugging Face dataset (saved folder, parquet, ``hf:NAME``) with named columns.

Every problem is one ``InputError`` naming the file (and line) and what is wrong, raised before any
work starts: a system file of the wrong length found after an hour of translation is an hour lost.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from polybrief.core import jsonline
from polybrief.core.errors import InputError
from polybrief.core.languages import check_language
from polybrief.core.readers import is_dataset, load_hf_rows, read_file_bytes, segment_lines

OUTPUT_FIELDS = ("output", "translation", "mt", "hyp", "hypothesis", "prediction", "summary", "briefing", "text")
ID_FIELDS = ("seg_id", "id", "cluster_id", "segment_id")


@dataclass(frozen=True)
class Segment:
    """One source segment with its references (none for reference-free scoring)."""

    seg_id: str
    source: str
    references: tuple[str, ...] = ()
    doc_id: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {"seg_id": self.seg_id, "doc_id": self.doc_id, "source": self.source,
                "references": list(self.references)}


@dataclass
class TestSet:
    """The segments of a test set, its language pair, and what it carries besides."""

    segments: list[Segment]
    source_language: str
    target_language: str
    reference_names: list[str] = field(default_factory=list)
    system_files: dict[str, Path] = field(default_factory=dict)  # a WMT folder's systems/
    columns: dict[str, list[Any]] = field(default_factory=dict)  # other JSONL / dataset columns

    @property
    def pair(self) -> str:
        return f"{self.source_language}-{self.target_language}"

    @property
    def ids(self) -> list[str]:
        return [s.seg_id for s in self.segments]


def _stated(stated: str | None, found: str | None, what: str, where: str) -> str:
    """The language the config states, checked against the one a file name implies."""
    if stated and found and check_language(stated, what) != check_language(found, where):
        raise InputError(f"{where}: the file names say {what} is {found!r}, the config says {stated!r}")
    language = stated or found
    if not language:
        raise InputError(f"{where}: cannot tell the {what}; state it as data.{what}")
    return check_language(language, f"{where}: {what}")


def confined(folder: Path, path: Path, allow_outside: bool) -> Path:
    """``path``, once known to lie inside ``folder`` followed through any link: a test set's
    ``systems/x.de -> /etc/passwd`` must not land in predictions, the leaderboard and an export."""
    if not allow_outside and not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(f"{path}: points outside the test set folder (to {path.resolve()}); pass "
                         "--allow-outside to read it anyway")
    return path


def read_wmt_folder(folder: Path, source_language: str | None = None, target_language: str | None = None,
                    references: list[str] | None = None, allow_outside: bool = False) -> TestSet:
    """A test set laid out as WMT releases them (``source.en``, ``reference.A.de``, ``systems/X.de``)."""
    sources = sorted(confined(folder, p, allow_outside) for p in folder.glob("source.*") if p.is_file())
    if len(sources) != 1:
        raise InputError(f"{folder}: expected one source.<lang> file, found {len(sources)}")
    source_file = sources[0]
    ref_files = {p.name.split(".")[1]: confined(folder, p, allow_outside)
                 for p in sorted(folder.glob("reference.*.*")) if p.is_file()}
    targets = {p.suffix[1:] for p in ref_files.values()}
    system_dir = folder / "systems"
    if not targets and system_dir.is_dir():
        targets = {p.suffix[1:] for p in system_dir.iterdir() if p.is_file() and p.suffix}
    if len(targets) > 1:
        raise InputError(f"{folder}: reference/system files disagree on the target language "
                         f"({', '.join(sorted(targets))})")
    src = _stated(source_language, source_file.suffix[1:], "source_language", str(source_file))
    tgt = _stated(target_language, next(iter(targets), None), "target_language", str(folder))
    if references:
        missing = [r for r in references if r not in ref_files]
        if missing:
            raise InputError(f"{folder}: no reference.{missing[0]}.{tgt} (has {', '.join(ref_files) or 'none'})")
        ref_files = {r: ref_files[r] for r in references}
    source_lines = segment_lines(source_file)
    if not source_lines:
        raise InputError(f"{source_file}: empty test set (no segments)")
    ref_lines = {}
    for name, path in ref_files.items():
        ref_lines[name] = segment_lines(path)
        if len(ref_lines[name]) != len(source_lines):
            raise InputError(f"{path}: {len(ref_lines[name])} lines, but {source_file.name} has "
                             f"{len(source_lines)}: references must be line-aligned with the source")
    segments = [Segment(str(i + 1), line, tuple(ref_lines[r][i] for r in ref_lines))
                for i, line in enumerate(source_lines)]
    systems = {}
    if system_dir.is_dir():
        systems = output_files(confined(folder, system_dir, allow_outside), f".{tgt}", allow_outside)
    return TestSet(segments, src, tgt, list(ref_lines), systems)


def _row_segment(row: Any, index: int, columns: dict[str, str], where: str) -> Segment:
    if not isinstance(row, dict):
        raise InputError(f"{where}: expected an object with {columns['source']!r} and references")
    source = row.get(columns["source"])
    if not isinstance(source, str):
        raise InputError(f"{where}: no {columns['source']!r} string")
    refs = row.get(columns["references"], row.get("ref", row.get("refs")))
    refs = [] if refs is None else [refs] if isinstance(refs, str) else refs
    if not isinstance(refs, list) or not all(isinstance(r, str) for r in refs):
        raise InputError(f"{where}: {columns['references']!r} must be a string or a list of strings")
    seg_id = row.get(columns["id"], index + 1)
    doc_id = row.get(columns["doc"])
    return Segment(str(seg_id), source, tuple(refs), None if doc_id is None else str(doc_id))


def _rows_test_set(rows: list[tuple[Any, str]], columns: dict[str, str], source_language: str | None,
                   target_language: str | None, where: str) -> TestSet:
    if not rows:
        raise InputError(f"{where}: empty test set (no rows)")
    segments = [_row_segment(row, i, columns, at) for i, (row, at) in enumerate(rows)]
    widths = {len(s.references) for s in segments}
    if len(widths) > 1:
        raise InputError(f"{where}: rows have different numbers of references ({', '.join(map(str, sorted(widths)))}):"
                         " give every row the same")
    ids = [s.seg_id for s in segments]
    if len(set(ids)) != len(ids):
        repeated = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"{where}: segment id {repeated!r} appears twice; ids must be unique")
    pair = rows[0][0].get("lang_pair") if isinstance(rows[0][0], dict) else None
    found_src, _, found_tgt = (pair or "").partition("-")
    src = _stated(source_language, found_src or None, "source_language", where)
    tgt = _stated(target_language, found_tgt or None, "target_language", where)
    used = set(columns.values()) | {"ref", "refs", "lang_pair"}
    names = sorted({k for row, _ in rows if isinstance(row, dict) for k in row if k not in used})
    extra = {name: [row.get(name) for row, _ in rows] for name in names}
    return TestSet(segments, src, tgt, [chr(ord("A") + k) for k in range(widths.pop())], {}, extra)


def read_jsonl_rows(path: Path) -> list[tuple[Any, str]]:
    rows = []
    for number, line in enumerate(segment_lines(path), 1):
        if not line.strip():
            continue
        try:
            rows.append((jsonline.loads(line), f"{path}:{number}"))
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}:{number}: not valid JSON ({exc.msg})") from None
    return rows


def read_test_set(spec: str, columns: dict[str, str], source_language: str | None = None,
                  target_language: str | None = None, references: list[str] | None = None,
                  split: str | None = None, allow_outside: bool = False) -> TestSet:
    """The test set ``spec`` names: a WMT-style folder, a JSONL file of rows, or a dataset."""
    path = Path(spec)
    if path.is_dir() and any(path.glob("source.*")):
        return read_wmt_folder(path, source_language, target_language, references, allow_outside)
    if path.is_file() and path.suffix in (".jsonl", ".ndjson", ".json"):
        return _rows_test_set(read_jsonl_rows(path), columns, source_language, target_language, str(path))
    if is_dataset(spec):
        rows = [(row, f"{spec}[{i}]") for i, row in enumerate(load_hf_rows(spec, split))]
        return _rows_test_set(rows, columns, source_language, target_language, spec)
    if not path.exists() and not spec.startswith("hf:"):
        raise InputError(f"{spec}: no such file or folder")
    raise InputError(f"{spec}: expected a folder with source.<lang> and reference.<X>.<lang> files, a JSONL "
                     "file of rows (src, ref) or a Hugging Face dataset")


def output_files(folder: Path, suffix: str | None = None, allow_outside: bool = False) -> dict[str, Path]:
    """System name -> file for a folder of outputs, one system per file, named after the file
    (``ONLINE-B.de`` -> ``ONLINE-B``); two files that would give one name are an error, and a link out of
    the folder is refused before it is read."""
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.name.startswith(".") or (suffix and path.suffix != suffix):
            continue
        confined(folder, path, allow_outside)
        name = path.name[: -len(path.suffix)] if path.suffix else path.name
        if name in found:
            raise InputError(f"{folder}: two systems named {name!r} ({found[name].name}, {path.name})")
        found[name] = path
    if not found:
        raise InputError(f"{folder}: no system output files{f' ending in {suffix}' if suffix else ''}")
    return found


def _output_text(row: Any, where: str) -> str:
    if isinstance(row, dict):
        for key in OUTPUT_FIELDS:
            if isinstance(row.get(key), str):
                return row[key]
    raise InputError(f"{where}: expected an object with an id and one of: {', '.join(OUTPUT_FIELDS)}")


def read_outputs(path: Path, ids: list[str]) -> list[str]:
    """A system's outputs in the order of ``ids``: a text file with one output a line, aligned with the
    test set, or JSONL keyed by id (``seg_id`` / ``cluster_id`` / ``id``), in any order."""
    if not path.is_file():
        read_file_bytes(path, "system output file")  # says what the path is instead
    if path.suffix not in (".jsonl", ".ndjson"):
        lines = segment_lines(path)
        if len(lines) != len(ids):
            raise InputError(f"{path}: {len(lines)} lines, but the test set has {len(ids)} segments: "
                             "outputs must be one a line, aligned with the source")
        return lines
    by_id: dict[str, str] = {}
    for row, where in read_jsonl_rows(path):
        key = next((row[k] for k in ID_FIELDS if isinstance(row, dict) and k in row), None)
        if key is None:
            raise InputError(f"{where}: no id field ({', '.join(ID_FIELDS)})")
        if str(key) in by_id:
            raise InputError(f"{where}: id {key!r} appears twice")
        by_id[str(key)] = _output_text(row, where)
    missing = [i for i in ids if i not in by_id]
    if missing:
        raise InputError(f"{path}: no output for {len(missing)} of {len(ids)} ids (first: {missing[0]!r})")
    extra = sorted(set(by_id) - set(ids))
    if extra:
        raise InputError(f"{path}: {len(extra)} id(s) not in the test set (first: {extra[0]!r})")
    return [by_id[i] for i in ids]


def column_outputs(columns: dict[str, list[Any]], name: str, where: str) -> list[str]:
    """A system's outputs from a column of the test set's rows."""
    if name not in columns:
        raise InputError(f"{where}: no column {name!r} (has {', '.join(sorted(columns)) or 'none'})")
    values = columns[name]
    bad = next((i for i, v in enumerate(values) if not isinstance(v, str)), None)
    if bad is not None:
        raise InputError(f"{where}: column {name!r} row {bad + 1} is not a string")
    return list(values)


__all__ = ["ID_FIELDS", "OUTPUT_FIELDS", "Segment", "TestSet", "column_outputs", "confined", "output_files",
           "read_jsonl_rows", "read_outputs", "read_test_set", "read_wmt_folder"]
