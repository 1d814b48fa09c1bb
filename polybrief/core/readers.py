"""Readers that turn a folder, a JSONL file or a Hugging Face dataset into Clusters.

Readers yield ``Cluster`` objects and, for records that cannot be read, ``BadRecord``
objects instead of raising, so one broken line never costs the other clusters their
briefings. A path that cannot be read at all raises ``InputError``.
"""
from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union

import yaml

from . import jsonline
from .cleaning import clean_lines, guess_title
from .dates import WEEKDAYS, date_in_text, parse_date, resolve_weekday, weekday_in_text
from .document import Cluster, Document
from .errors import InputError
from .langid import detect_language
from .yamlfile import read_yaml

log = logging.getLogger(__name__)
MAX_ARTICLE_CHARS = 500_000  # longer "articles" are dumps; beyond this nothing reaches a briefing
CLUSTER_FILE = "cluster.yaml"


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read, with where it was and why."""

    where: str
    reason: str


ReadResult = Union[Cluster, BadRecord]


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
         (b"\xfe\xff", "utf-16"))


def _decode_by_bom(data: bytes, where: str) -> str | None:
    """UTF-16/32 text when a byte-order mark says so (refused in one line if it does not decode), else None."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise InputError(f"{where}: starts like {encoding.upper()} text but does not decode as it") from None


def decode_bytes(data: bytes, where: str) -> str:
    """UTF-8 text from bytes (UTF-16/32 when a byte-order mark says so), falling back to Windows-1252/Latin-1;
    refuses binary data."""
    text = _decode_by_bom(data, where)
    if text is not None:
        return text
    if b"\x00" in data[:65536]:
        raise InputError(f"{where}: looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for encoding in ("cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            log.warning("%s: not UTF-8, read as %s", where, encoding)
            return text
        except UnicodeDecodeError:
            continue
    raise InputError(f"{where}: cannot decode as text")  # pragma: no cover - latin-1 decodes all


def read_file_bytes(path: Path, what: str = "file") -> bytes:
    """A regular file's bytes, or one line saying what the path is instead: a folder, a pipe or a device
    (``/dev/zero`` never ends) are not "no such file"."""
    if not path.exists():
        raise InputError(f"{path}: no such {what}")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; give a {what}")
    if not path.is_file():
        raise InputError(f"{path}: not a regular file (a pipe or a device); give a {what}")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _refuse_nul_and_cr_only(data: Any, nul: Any, lf: Any, cr: Any, where: str) -> None:
    """A NUL (a binary file) or CR-only line ends (the file reads as one line), in bytes or in text decoded
    from UTF-16/32 alike: one rule whatever the encoding."""
    at = data.find(nul)
    if at >= 0:
        raise InputError(f"{where}:{data.count(lf, 0, at) + 1}: a NUL byte: a binary file, not text")
    if lf not in data and cr in data.rstrip(cr):
        raise InputError(f"{where}: lines end in CR only (old Mac style), so it reads as one line; convert "
                         "them, e.g. tr '\\r' '\\n'")


def segment_text(data: bytes, where: str) -> str:
    """The one reading rule for files of segments (``score``'s hypotheses, references and sources, a run's
    test set and system outputs), so both commands accept or refuse the same file: UTF-16/32 with a
    byte-order mark decoded, else strict UTF-8 (a UTF-8 byte-order mark kept, as sacreBLEU keeps it);
    a NUL byte, an undecodable byte or CR-only line ends refused, naming the line."""
    text = _decode_by_bom(data, where)
    if text is not None:
        _refuse_nul_and_cr_only(text, "\x00", "\n", "\r", where)  # UTF-16 "a\rb" read as one line, no hint
        return text
    _refuse_nul_and_cr_only(data, b"\x00", b"\n", b"\r", where)  # before decoding: a binary file is named so
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(f"{where}:{line}: not UTF-8 (byte 0x{data[exc.start]:02x} at column {column})") from None


def segment_lines(path: Path) -> list[str]:
    """The lines of a file of segments exactly as sacreBLEU's command line reads them (split on newlines,
    trailing white space dropped, a byte-order mark kept): ``score`` and ``run`` both read through here,
    so one file gives one set of segments and one number whichever command scores it."""
    text = segment_text(read_file_bytes(path), str(path))
    if text.startswith("\ufeff"):  # kept, as sacreBLEU's CLI keeps it: the official WMT scores count it
        log.warning("%s starts with a byte-order mark; it is kept as a character, as sacreBLEU reads it", path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def make_document(doc_id: str, raw: str, *, language: str | None = None, title: str | None = None,
                  source_language: str | None = None, machine_translated: bool = False,
                  meta: dict[str, Any] | None = None) -> Document:
    """Clean ``raw``, guess title and language where not given, and build a Document."""
    if len(raw) > MAX_ARTICLE_CHARS:
        log.warning("%s: %d characters, only the first %d are used", doc_id, len(raw), MAX_ARTICLE_CHARS)
    lines = clean_lines(raw[:MAX_ARTICLE_CHARS])
    text = "\n".join(lines)
    return Document(
        doc_id=str(doc_id), text=text, raw_text=raw, title=title or guess_title(lines),
        language=language or detect_language(text), source_language=source_language,
        machine_translated=bool(machine_translated), meta=meta or {},
    )


def _finish(cluster: Cluster, where: str, stated_dates: list[Any] | None = None) -> ReadResult:
    """Drop empty documents (a cluster with none left is a BadRecord) and date the rest."""
    stated_dates = stated_dates or [None] * len(cluster.documents)
    kept = [(d, v) for d, v in zip(cluster.documents, stated_dates) if d.text.strip()]
    for doc in cluster.documents:
        if not doc.text.strip():
            log.warning("%s: document %s is empty after cleaning, skipped", where, doc.doc_id)
    cluster.documents = [d for d, _ in kept]
    if not cluster.documents:
        return BadRecord(where, "no article with any text in it")
    _unique_ids(cluster, where)
    _date_documents(cluster, [v for _, v in kept])
    return cluster


def _unique_ids(cluster: Cluster, where: str) -> None:
    """Give a repeated doc_id a suffix (``a``, ``a#2``): citations and sources are looked up by id, so two
    articles under one id were cited as one (``[2, 2]``, a headline credited to the wrong article)."""
    taken = {d.doc_id for d in cluster.documents}
    seen: set[str] = set()
    for doc in cluster.documents:
        if doc.doc_id in seen:
            k = 2
            while f"{doc.doc_id}#{k}" in taken:
                k += 1
            renamed = f"{doc.doc_id}#{k}"
            log.warning("%s: doc_id %r repeated; the later article is %r", where, doc.doc_id, renamed)
            cluster.notes.append(f"article id {doc.doc_id} appears twice; the later one is called {renamed}")
            taken.add(renamed)
            doc.doc_id = renamed
        seen.add(doc.doc_id)


def _date_documents(cluster: Cluster, stated: list[Any]) -> None:
    """Each article's date from its stated field, else from an unambiguous dateline, else from "on Friday"
    in its lead resolved against the other articles' dates where only one Friday fits; notes for the rest."""
    from_text = []
    for doc, value in zip(cluster.documents, stated):
        doc.date, note = parse_date(value)
        if note:
            cluster.notes.append(f"article {doc.doc_id}: {note}")
        if doc.date is None and value in (None, ""):
            doc.date = date_in_text(doc.raw_text or doc.text)
            doc.date_from_text = doc.date is not None
            from_text += [doc.doc_id] if doc.date_from_text else []
    known = [d.date for d in cluster.documents if d.date]
    for doc, value in zip(cluster.documents, stated if known else []):  # an undated cluster stays as it is
        weekday = weekday_in_text(doc.raw_text or doc.text) if doc.date is None and value in (None, "") else None
        if weekday is None:
            continue
        doc.date = resolve_weekday(weekday, known)
        name = WEEKDAYS[weekday].capitalize()
        if doc.date is None:
            cluster.notes.append(f"article {doc.doc_id}: says 'on {name}', but the other articles' dates do not "
                                 f"pin down one {name}; left undated")
            continue
        doc.date_from_text = True
        cluster.notes.append(f"article {doc.doc_id}: dated {doc.date.isoformat()} from 'on {name}' in its text, "
                             "against the other articles' dates")
    dated = sum(1 for d in cluster.documents if d.date)
    if from_text:
        cluster.notes.append(f"date of {len(from_text)} article(s) read from the text: {', '.join(from_text)}")
    if 0 < dated < len(cluster.documents):
        cluster.notes.append(f"{len(cluster.documents) - dated} of {len(cluster.documents)} articles have no date")


_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def read_reference(path: str | Path) -> str:
    """A reference summary from a text or Markdown file; HTML comments (provenance notes) removed."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such reference file")
    text = _COMMENT.sub("", decode_bytes(path.read_bytes(), str(path))).strip()
    if not text:
        raise InputError(f"{path}: the reference is empty")
    return text


# --- folder of .txt files -------------------------------------------------------------

def _load_cluster_yaml(folder: Path, allow_outside: bool = False) -> dict[str, Any]:
    path = folder / CLUSTER_FILE
    if not path.exists():
        return {}
    spec = read_yaml(inside(folder, path, allow_outside))[0] or {}
    if not isinstance(spec, dict):
        raise InputError(f"{path}: expected a mapping with 'id' and 'documents'")
    return spec


def inside(folder: Path, path: Path, allow_outside: bool) -> Path:
    """``path`` when it (followed through any link) lies inside ``folder``, else a one-line refusal: a
    cluster.yaml or a symlink must not pull other files (``/etc/os-release``) into outputs and exports."""
    if not allow_outside and not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(f"{path}: points outside the cluster folder (to {path.resolve()}); pass --allow-outside "
                         "to read it anyway")
    return path


def read_folder(folder: Path, allow_outside: bool = False) -> Iterator[ReadResult]:
    """One cluster from a folder of ``.txt`` articles, described by an optional cluster.yaml; or, from a
    folder of such folders (what ``cluster --output-dir`` writes), one cluster per folder."""
    files = _articles(folder)
    events = [] if files else event_folders(folder)
    if events:
        return read_event_folders(folder, events, allow_outside)
    if not files:  # said before anything in the folder is opened: it may not be an input folder at all
        raise InputError(f"{folder}: no .txt articles in this folder, nor in a folder inside it")
    return _read_one_folder(folder, files, allow_outside)


def _articles(folder: Path) -> list[Path]:
    """The ``.txt`` files of one folder, by name: its articles."""
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())


def event_folders(folder: Path) -> list[Path]:
    """The folders directly inside ``folder`` that hold ``.txt`` articles, by name."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and any(f.suffix == ".txt" for f in p.iterdir()))


def read_event_folders(folder: Path, events: list[Path], allow_outside: bool) -> Iterator[ReadResult]:
    """Each event folder's cluster; a folder that cannot be read is a BadRecord, and the rest are read."""
    for event in events:
        try:
            inside(folder, event, allow_outside)
            yield from _read_one_folder(event, _articles(event), allow_outside)
        except InputError as exc:  # its message starts with the file or folder at fault
            where, _, reason = str(exc).partition(": ")
            yield BadRecord(where, reason)


def _read_one_folder(folder: Path, files: list[Path], allow_outside: bool) -> Iterator[ReadResult]:
    spec = _load_cluster_yaml(folder, allow_outside)
    documents = spec.get("documents") or []
    if not isinstance(documents, list) or not all(isinstance(d, dict) for d in documents):
        raise InputError(f"{folder / CLUSTER_FILE}: 'documents' must be a list of mappings "
                         "(- file: NAME.txt, doc_id: ..., language: ...)")
    described = {str(d.get("file")): d for d in documents}
    docs, dates = [], []
    for path in files:
        inside(folder, path, allow_outside)
        info = described.get(path.name, {})
        try:
            raw = decode_bytes(path.read_bytes(), str(path))
        except InputError as exc:
            log.warning("%s, skipped", exc)
            continue
        dates.append(info.get("date"))
        docs.append(make_document(
            str(info.get("doc_id", path.stem)), raw, language=_optional_str(info.get("language")),
            title=_optional_str(info.get("title")), source_language=_optional_str(info.get("source_language")),
            machine_translated=info.get("machine_translated") is True))
    refs = [str(r) for r in spec.get("reference_summaries") or []]
    if spec.get("reference"):  # a file beside the articles, e.g. reference.md
        refs.append(read_reference(inside(folder, folder / str(spec["reference"]), allow_outside)))
    cluster = Cluster(str(spec.get("id", folder.name)), docs, topic=_optional_str(spec.get("topic")),
                      reference_summaries=refs)
    yield _finish(cluster, str(folder), dates)


# --- JSONL, one cluster per line ------------------------------------------------------

def cluster_from_record(record: Any, where: str) -> ReadResult:
    """A Cluster from a dict with ``cluster_id`` and ``documents`` (or Multi-News' ``document``)."""
    if not isinstance(record, dict):
        return BadRecord(where, "expected a JSON object")
    cluster_id = str(record.get("cluster_id", record.get("id", where)))
    documents = record.get("documents")
    if documents is None and isinstance(record.get("document"), str):  # HF multi_news layout
        documents = [{"text": t} for t in record["document"].split("|||||") if t.strip()]
    if not isinstance(documents, list) or not documents:
        return BadRecord(where, "no 'documents' list")
    docs, dates = [], []
    for i, item in enumerate(documents):
        item = {"text": item} if isinstance(item, str) else item
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            return BadRecord(where, f"document {i} has no 'text' string")
        extra = {k: v for k, v in item.items() if k not in _DOC_FIELDS}
        docs.append(make_document(
            str(item.get("doc_id", f"{cluster_id}-{i}")), item["text"], language=_optional_str(item.get("language")),
            title=_optional_str(item.get("title")), source_language=_optional_str(item.get("source_language")),
            machine_translated=item.get("machine_translated") is True, meta=extra))
        dates.append(item.get("date", item.get("published")))
    refs = record.get("reference_summaries", record.get("summary", []))
    refs = [refs] if isinstance(refs, str) else refs if isinstance(refs, list) else None
    if refs is None or not all(isinstance(r, str) for r in refs):
        return BadRecord(where, "'reference_summaries' must be a string or a list of strings")
    extra = {k: v for k, v in record.items() if k not in _CLUSTER_FIELDS}  # e.g. a system's summary column
    return _finish(Cluster(cluster_id, docs, topic=_optional_str(record.get("topic")), reference_summaries=refs,
                           meta=extra), where, dates)


def _optional_str(value: Any) -> str | None:
    """A string field as given, anything else (a number, a list) as unknown."""
    return value if isinstance(value, str) and value else None


_DOC_FIELDS = {"doc_id", "text", "language", "title", "source_language", "machine_translated", "date", "published"}
_CLUSTER_FIELDS = {"cluster_id", "id", "documents", "document", "reference_summaries", "summary", "topic"}


def read_jsonl(path: Path) -> Iterator[ReadResult]:
    """Clusters from a JSONL file; a line that is not valid JSON becomes a BadRecord."""
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            where = f"{path}:{lineno}"
            try:
                line = decode_bytes(raw, where).strip()
            except InputError as exc:
                yield BadRecord(where, str(exc).split(": ", 1)[-1])
                continue
            if not line:
                continue
            try:
                record = jsonline.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRecord(where, f"not valid JSON ({exc.msg})")
                continue
            yield cluster_from_record(record, where)


# --- Hugging Face datasets -------------------------------------------------------------

def card_front_matter(folder: Path) -> dict[str, Any]:
    """The YAML front matter of a dataset card (``folder/README.md``), or {} where there is none."""
    try:
        front = yaml.safe_load((folder / "README.md").read_text(encoding="utf-8").split("---")[1])
    except (OSError, IndexError, yaml.YAMLError):
        return {}
    return front if isinstance(front, dict) else {}


def card_configs(folder: Path) -> list[str]:
    """The configuration names a dataset card declares, as our exports write."""
    configs = card_front_matter(folder).get("configs")
    return [c["config_name"] for c in configs or [] if isinstance(c, dict) and isinstance(c.get("config_name"), str)]


def load_hf_rows(spec: str, split: str | None = None, prefer: str | None = None) -> Iterable[dict[str, Any]]:
    """The rows of a dataset saved with ``save_to_disk``, parquet files, or a hub name (``hf:NAME``). A
    folder whose card declares configurations (a polybrief export) is read as its ``prefer`` configuration
    (else its first), never as all its parquet files mixed together."""
    import datasets  # imported here: loading `datasets` costs a second we only pay when asked

    path = Path(spec)
    configs = card_configs(path) if path.is_dir() else []
    try:
        if configs:
            data = datasets.load_dataset(str(path), prefer if prefer in configs else configs[0])
        elif path.is_dir() and ((path / "dataset_dict.json").exists() or (path / "state.json").exists()):
            data = datasets.load_from_disk(str(path))
        elif path.suffix == ".parquet" or (path.is_dir() and any(path.glob("**/*.parquet"))):
            files = [str(path)] if path.is_file() else sorted(str(p) for p in path.glob("**/*.parquet"))
            data = datasets.load_dataset("parquet", data_files=files, streaming=True)  # read in batches
        else:
            data = datasets.load_dataset(spec.removeprefix("hf:"))
    except Exception as exc:  # datasets raises many types; the user needs one line
        hint = "; polybrief runs offline: set HF_HUB_OFFLINE=0 where a hub is reachable" \
            if os.environ.get("HF_HUB_OFFLINE") == "1" and spec.startswith("hf:") else ""
        raise InputError(f"{spec}: cannot load as a Hugging Face dataset ({type(exc).__name__}: "
                         f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}){hint}") from None
    if isinstance(data, (datasets.DatasetDict, datasets.IterableDatasetDict)):
        split = split or ("validation" if "validation" in data else next(iter(data)))
        if split not in data:
            raise InputError(f"{spec}: no split {split!r} (has {', '.join(data)})")
        data = data[split]
    return data


def read_hf_dataset(spec: str, split: str | None = None) -> Iterator[ReadResult]:
    """Clusters from a dataset saved with ``save_to_disk``, parquet files, or a hub name."""
    for i, record in enumerate(load_hf_rows(spec, split, prefer="clusters")):
        yield cluster_from_record(record, f"{spec}[{i}]")


def is_dataset(spec: str | Path) -> bool:
    """Whether ``spec`` names a Hugging Face dataset (a saved folder, parquet, or ``hf:NAME``)."""
    path = Path(spec)
    if str(spec).startswith("hf:") or path.suffix == ".parquet":
        return True
    return path.is_dir() and ((path / "dataset_dict.json").exists() or (path / "state.json").exists()
                              or (not any(path.glob("*.txt")) and any(path.glob("**/*.parquet"))))


def read_clusters(spec: str | Path, split: str | None = None, allow_outside: bool = False) -> Iterator[ReadResult]:
    """Clusters from whatever ``spec`` names: a folder, a JSONL file, or a dataset. A folder's files
    must lie inside it unless ``allow_outside``."""
    path = Path(spec)
    if path.is_dir():
        return read_hf_dataset(str(spec), split) if is_dataset(path) else read_folder(path, allow_outside)
    if path.is_file():
        if path.suffix in (".jsonl", ".json", ".ndjson"):
            if path.stat().st_size == 0:
                raise InputError(f"{path}: the file is empty")
            return read_jsonl(path)
        if path.suffix == ".parquet":
            return read_hf_dataset(str(path), split)
        raise InputError(f"{path}: expected a folder of .txt articles, a .jsonl file or a dataset")
    if str(spec).startswith("hf:"):
        return read_hf_dataset(str(spec), split)
    raise InputError(f"{spec}: no such file or folder (prefix hub datasets with 'hf:')")


__all__ = ["BadRecord", "CLUSTER_FILE", "MAX_ARTICLE_CHARS", "ReadResult", "card_configs", "card_front_matter",
           "cluster_from_record", "decode_bytes", "inside", "is_dataset", "load_hf_rows", "make_document",
           "read_clusters", "read_file_bytes", "read_folder", "read_hf_dataset", "read_jsonl", "read_reference",
           "segment_lines", "segment_text"]
