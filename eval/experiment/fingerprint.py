"""What a run read, as a content hash: edit an article, a reference or a system's outputs and the run is
a new one, instead of "0 new predictions" and yesterday's scores.

Files are hashed by content (folders: every file below, by relative path and content); a hub dataset
(``hf:NAME``), which cannot be read without downloading it, by its name and split.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .config import COLUMN_PREFIX, ExperimentConfig

CHUNK = 1 << 20


def _hash_path(digest: hashlib._Hash, path: Path) -> None:
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else []
    for file in files:
        digest.update(str(file.relative_to(path) if path.is_dir() else file.name).encode("utf-8", "replace"))
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(CHUNK), b""):
                digest.update(block)


def input_fingerprint(config: ExperimentConfig) -> str:
    """sha256 (first 12 hex digits) of the data and of every system's outputs files."""
    digest = hashlib.sha256()
    sources = [config.data.path] + [s.outputs for s in config.systems
                                     if s.outputs and not s.outputs.startswith(COLUMN_PREFIX)]
    for source in sources:
        digest.update(b"\0" + source.encode("utf-8"))
        path = Path(source)
        if path.exists():
            _hash_path(digest, path)
        else:  # hf:NAME and the like: the name and split are all we can know offline
            digest.update(f"{source}|{config.data.split}".encode())
    return digest.hexdigest()[:12]
