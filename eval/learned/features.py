"""What the learned metric sees of a (source, translation, reference) triple.

Four blocks; every number of a segment is a function of that segment's texts alone, never of the
other segments scored with it (a score must not change with how a file is batched):

- ``lexical`` (needs a reference, any language): chrF and chrF++ and their per-order character and
  word precisions and recalls (sacreBLEU's statistics, so every number is a known quantity), length
  ratio, numbers missing or added, words left untranslated, characters the reference never uses;
- ``source`` (no reference): length ratio to the source, numbers of the source missing, words copied
  from it, empty output;
- ``embedding`` (reference and source): frozen multilingual E5 sentence vectors combined as COMET's
  estimator does, [mt; ref; mt*ref; |mt-ref|; mt*src; |mt-src|], and the two cosines;
- ``embedding_free`` (source only): [mt; src; mt*src; |mt-src|] and the cosine.

The embedding blocks are the slow part (one encoder pass per distinct text); ``embeddings.Encoder``
computes each distinct text once per call and can keep vectors on disk for training runs.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

CHAR_ORDERS, WORD_ORDERS = 6, 2
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
WORD = re.compile(r"\w+")

LEXICAL = ("chrf", "chrf++",
           *[f"char{n}_{side}" for n in range(1, CHAR_ORDERS + 1) for side in ("p", "r")],
           *[f"word{n}_{side}" for n in range(1, WORD_ORDERS + 1) for side in ("p", "r")],
           "log_length_ratio", "abs_log_length_ratio", "numbers_missing", "numbers_added",
           "untranslated_words", "unseen_characters", "empty")
SOURCE = ("log_length_ratio_to_source", "abs_log_length_ratio_to_source", "source_numbers_missing",
          "source_words_copied", "empty")
DIM = 384  # multilingual E5 small
EMBEDDING = (*[f"{part}{i}" for part in ("mt", "ref", "mt*ref", "|mt-ref|", "mt*src", "|mt-src|")
               for i in range(DIM)], "cos_mt_ref", "cos_mt_src")
EMBEDDING_FREE = (*[f"{part}{i}" for part in ("mt", "src", "mt*src", "|mt-src|") for i in range(DIM)], "cos_mt_src")
BLOCKS = {"lexical": LEXICAL, "source": SOURCE, "embedding": EMBEDDING, "embedding_free": EMBEDDING_FREE}
NEEDS = {"lexical": {"reference"}, "source": {"source"}, "embedding": {"reference", "source"},
         "embedding_free": {"source"}}
REFERENCE_FREE = frozenset(b for b, needs in NEEDS.items() if "reference" not in needs)


def feature_names(blocks: Sequence[str]) -> list[str]:
    """Column names of the matrix ``compute`` returns for ``blocks``, in order."""
    return [f"{block}:{name}" for block in blocks for name in BLOCKS[block]]


def _share_missing(wanted: list[set[str]], present: list[set[str]]) -> np.ndarray:
    """Per segment: the share of ``wanted`` items absent from ``present`` (0 when nothing is wanted)."""
    return np.array([len(w - p) / len(w) if w else 0.0 for w, p in zip(wanted, present)])


def _numbers(texts: Sequence[str]) -> list[set[str]]:
    return [{n.replace(",", "").replace(".", "") for n in NUMBER.findall(t)} for t in texts]


def _words(texts: Sequence[str]) -> list[set[str]]:
    return [set(WORD.findall(t.lower())) for t in texts]


def _share_unseen(hypothesis: str, reference: str) -> float:
    """The share of the hypothesis' characters the reference never uses (source script left in, garbage)."""
    chars = [c for c in hypothesis if not c.isspace()]
    known = set(reference)
    return sum(c not in known for c in chars) / len(chars) if chars else 0.0


def _log_ratio(a: Sequence[str], b: Sequence[str]) -> np.ndarray:
    return np.log((np.array([len(t) for t in a]) + 1.0) / (np.array([len(t) for t in b]) + 1.0))


def lexical(hypotheses: Sequence[str], references: Sequence[str], sources: Sequence[str] | None) -> np.ndarray:
    """The lexical block against one reference per segment."""
    from polybrief.eval.metrics.base import Segments
    from polybrief.eval.metrics.chrf import Chrf
    from polybrief.eval.metrics.vectorized import chrf_scores

    stats = Chrf(word_order=WORD_ORDERS).segment_stats(Segments(list(hypotheses), [list(references)]))
    orders = CHAR_ORDERS + WORD_ORDERS
    columns = [chrf_scores(stats[:, :3 * CHAR_ORDERS], CHAR_ORDERS, 2) / 100, chrf_scores(stats, orders, 2) / 100]
    for i in range(orders):
        hyp, ref, match = stats[:, 3 * i], stats[:, 3 * i + 1], stats[:, 3 * i + 2]
        columns += [match / np.maximum(hyp, 1), match / np.maximum(ref, 1)]
    ratio = _log_ratio(hypotheses, references)
    hyp_words, ref_words = _words(hypotheses), _words(references)
    src_words = _words(sources) if sources is not None else [set() for _ in hypotheses]
    untranslated = np.array([len((h & s) - r) / len(h) if h else 0.0
                             for h, r, s in zip(hyp_words, ref_words, src_words)])
    unseen = np.array([_share_unseen(h, r) for h, r in zip(hypotheses, references)])
    hyp_numbers, ref_numbers = _numbers(hypotheses), _numbers(references)
    columns += [ratio, np.abs(ratio), _share_missing(ref_numbers, hyp_numbers),
                _share_missing(hyp_numbers, ref_numbers), untranslated, unseen,
                np.array([0.0 if h.strip() else 1.0 for h in hypotheses])]
    return np.column_stack(columns)


def source(hypotheses: Sequence[str], sources: Sequence[str]) -> np.ndarray:
    """The reference-free checks. The length ratio is the segment's own, not centred on a batch median:
    a batch statistic would make a segment's score depend on what it was scored with."""
    ratio = _log_ratio(hypotheses, sources)
    hyp_words, src_words = _words(hypotheses), _words(sources)
    copied = np.array([len(h & s) / len(h) if h else 0.0 for h, s in zip(hyp_words, src_words)])
    return np.column_stack([ratio, np.abs(ratio), _share_missing(_numbers(sources), _numbers(hypotheses)),
                            copied, np.array([0.0 if h.strip() else 1.0 for h in hypotheses])])


def comet_combination(mt: np.ndarray, ref: np.ndarray | None, src: np.ndarray) -> np.ndarray:
    """COMET's estimator input from unit vectors: with a reference [mt; ref; mt*ref; |mt-ref|; mt*src;
    |mt-src|; cos(mt,ref); cos(mt,src)], without one [mt; src; mt*src; |mt-src|; cos(mt,src)]."""
    with_src = [mt * src, np.abs(mt - src)]
    cos_src = np.sum(mt * src, axis=1, keepdims=True)
    if ref is None:
        return np.hstack([mt, src, *with_src, cos_src])
    return np.hstack([mt, ref, mt * ref, np.abs(mt - ref), *with_src, np.sum(mt * ref, axis=1, keepdims=True),
                      cos_src])


def compute(blocks: Sequence[str], hypotheses: Sequence[str], references: Sequence[str] | None,
            sources: Sequence[str] | None, encoder=None) -> np.ndarray:
    """The feature matrix (segments, len(feature_names(blocks))) for one reference per segment;
    ``encoder`` (an ``embeddings.Encoder``) is needed by the embedding blocks alone."""
    parts = []
    for block in blocks:
        if block == "lexical":
            parts.append(lexical(hypotheses, references or [], sources))
        elif block == "source":
            parts.append(source(hypotheses, sources or []))
        else:
            if encoder is None:
                from .embeddings import Encoder
                encoder = Encoder()
            ref = encoder.vectors(references or []) if block == "embedding" else None
            parts.append(comet_combination(encoder.vectors(hypotheses), ref, encoder.vectors(sources or [])))
    return np.column_stack(parts).astype(np.float64)


__all__ = ["BLOCKS", "DIM", "EMBEDDING", "EMBEDDING_FREE", "LEXICAL", "NEEDS", "NUMBER", "REFERENCE_FREE",
           "SOURCE", "WORD", "comet_combination", "compute", "feature_names", "lexical", "source"]
