"""What a run read, as a content hash: edit an article, a reference or a system's outputs, or retrain a
model a system or metric loads, and the run is a new one, instead of "0 new predictions" and yesterday's
scores under the new model's name.

Only the files a reader would read are hashed, after the folder is known to be an input folder and every
file in it is known to lie inside it: ``--set data.path=/etc`` fails before a single file is opened, and
a link out of the folder is refused before it is read (``--allow-outside`` reads it). Data files are
hashed by content; model folders cheaply, by file names, sizes and modification times plus the content
of their small files (configs, tokenizers), since hashing gigabytes of weights per run would cost minutes.
A hub dataset (``hf:NAME``), which cannot be read without downloading it, counts by its name and split.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from polybrief.core.errors import InputError
from polybrief.core.readers import is_dataset

from .schema import COLUMN_PREFIX, ExperimentConfig
from .systems import OutputsSystem

CHUNK = 1 << 20
MAX_FILES = 20_000  # more files than any test set, dataset or model folder has: a walk past it is a mistake
SMALL_FILE = 1 << 18  # model files up to this size (configs, vocabularies) are hashed by content
SYSTEM_MODEL_FIELDS = ("model", "encoder", "translator")


def _regular(file: Path, root: Path, allow_outside: bool) -> bool:
    """Whether ``file`` is a regular file to read; a link out of ``root`` is refused before it is opened."""
    if not allow_outside and not file.resolve().is_relative_to(root.resolve()):
        raise InputError(f"{file}: points outside the input folder (to {file.resolve()}); pass --allow-outside "
                         "to read it anyway")
    return file.is_file()


def _bounded(files: Iterator[Path], root: Path) -> list[Path]:
    found = []
    for file in files:
        found.append(file)
        if len(found) > MAX_FILES:
            raise InputError(f"{root}: more than {MAX_FILES} files; not an input folder polybrief reads")
    return sorted(found)


def input_files(path: Path, allow_outside: bool = False, outputs: bool = False) -> list[Path]:
    """The files a reader takes from ``path``: the file itself; a WMT folder's source, reference and
    system files; a dataset folder's files; a cluster folder's (or a folder of outputs') own files. Any
    other folder is refused here, by its listing alone."""
    if not path.is_dir():
        return [path] if path.is_file() else []
    if not outputs and any(path.glob("source.*")):
        system_dir = path / "systems"
        candidates = iter([*path.glob("source.*"), *path.glob("reference.*"),
                           *(system_dir.iterdir() if system_dir.is_dir() else [])])
    elif outputs or any(path.glob("*.txt")):
        candidates = path.iterdir()
    elif is_dataset(path):
        candidates = (p for p in path.rglob("*") if not p.is_dir())
    else:
        raise InputError(f"{path}: no .txt articles, no source.<lang> file and no dataset in this folder")
    return [f for f in _bounded(candidates, path) if _regular(f, path, allow_outside)]


def _hash_file(digest: Any, file: Path) -> None:
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)


def _hash_source(digest: Any, path: Path, allow_outside: bool, outputs: bool) -> None:
    for file in input_files(path, allow_outside, outputs):
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode("utf-8", "replace"))
        _hash_file(digest, file)


def model_paths(config: ExperimentConfig) -> list[Path]:
    """Local files and folders the systems and metrics load models from: a system's model, encoder and
    translator, and any metric parameter that names an existing path (``mqm:model=DIR``). Names of packaged
    models (minilm, apertium) are covered by the configuration hash."""
    values = [getattr(s, f, None) for s in config.systems for f in SYSTEM_MODEL_FIELDS]  # as each kind has them
    values += [v for m in config.metrics or [] for v in m.params.values()]
    found = {Path(v) for v in values if isinstance(v, str) and v.strip() and not v.startswith("hf:")
             and Path(v).exists()}
    return sorted(found)


def _hash_model(digest: Any, path: Path) -> None:
    """Names, sizes and modification times of every file below ``path``, and the content of small ones."""
    files = [path] if not path.is_dir() else _bounded(
        (Path(top) / name for top, _, names in os.walk(path) for name in names), path)
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode("utf-8", "replace"))
        try:
            info = file.stat()
        except OSError:
            continue  # a dangling link loads as nothing; its name is hashed all the same
        digest.update(f"|{info.st_size}|{info.st_mtime_ns}".encode())
        if info.st_size <= SMALL_FILE and file.is_file():
            _hash_file(digest, file)


def input_fingerprint(config: ExperimentConfig, allow_outside: bool = False) -> str:
    """sha256 (first 12 hex digits) of the data, every system's outputs files and every model folder."""
    digest = hashlib.sha256()
    given = [s.outputs for s in config.systems if isinstance(s, OutputsSystem)]
    sources = [(config.data.path, False)] + [(o, True) for o in given if not o.startswith(COLUMN_PREFIX)]
    for source, outputs in sources:
        digest.update(b"\0" + source.encode("utf-8"))
        path = Path(source)
        if path.exists():
            _hash_source(digest, path, allow_outside, outputs)
        else:  # hf:NAME and the like: the name and split are all we can know offline
            digest.update(f"{source}|{config.data.split}".encode())
    for model in model_paths(config):
        digest.update(b"\0model\0" + str(model).encode("utf-8", "replace"))
        _hash_model(digest, model)
    return digest.hexdigest()[:12]


__all__ = ["CHUNK", "MAX_FILES", "SMALL_FILE", "SYSTEM_MODEL_FIELDS", "input_files", "input_fingerprint",
           "model_paths"]
