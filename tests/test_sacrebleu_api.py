"""The sacreBLEU adapter (eval/metrics/_fast/sacrebleu_api.py) against sacreBLEU's public API: when a
sacreBLEU release renames or changes an internal polybrief calls, this file fails, not a score."""
from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pytest
import sacrebleu
from packaging.specifiers import SpecifierSet

from polybrief.eval.metrics._fast import sacrebleu_api
from polybrief.eval.metrics._fast.sacrebleu_api import BLEU, CHRF, TER

HYPS = ["The cat sat on the mat.", "A dog, barking loudly, ran 3-4 km.", "", "Nothing here matches at all"]
REFS = [["The cat is on the mat.", "A dog barked loudly and ran 3-4 km.", "Empty.", "Something else entirely"],
        ["There is a cat on the mat.", "The dog ran, barking.", "", "Nothing matches"]]
METRICS = [BLEU(), BLEU(tokenize="char", lowercase=True), CHRF(), CHRF(word_order=2), TER(),
           TER(normalized=True, case_sensitive=True)]


def _stats(impl) -> np.ndarray:
    return np.array([sacrebleu_api.segment_statistics(impl, h, sacrebleu_api.reference_info(impl, refs))
                     for h, refs in zip(HYPS, zip(*REFS))], dtype=np.float64)


def test_installed_sacrebleu_is_the_pinned_range_and_the_pin_is_the_adapters():
    pin = re.search(r'"sacrebleu\[ja,ko\]([^"]+)"', (Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert pin and pin.group(1) == sacrebleu_api.SUPPORTED
    assert version("sacrebleu") in SpecifierSet(sacrebleu_api.SUPPORTED)


@pytest.mark.parametrize("impl", METRICS, ids=lambda m: sacrebleu_api.signature(m))
def test_summed_segment_statistics_give_the_public_corpus_score(impl):
    expected = impl.corpus_score(HYPS, REFS).score
    assert sacrebleu_api.score_from_stats(impl, _stats(impl).sum(axis=0)) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("impl", [m for m in METRICS if not isinstance(m, BLEU)],
                         ids=lambda m: sacrebleu_api.signature(m))
def test_one_row_gives_the_public_sentence_score(impl):
    for row, hyp, refs in zip(_stats(impl), HYPS, zip(*REFS)):
        assert sacrebleu_api.score_from_stats(impl, row) == pytest.approx(
            impl.sentence_score(hyp, list(refs)).score, abs=1e-9)


def test_bleu_sentence_score_with_effective_order():
    impl = BLEU(effective_order=True)
    for row, hyp, refs in zip(_stats(impl), HYPS, zip(*REFS)):
        assert sacrebleu_api.score_from_stats(impl, row) == pytest.approx(
            sacrebleu.sentence_bleu(hyp, list(refs)).score, abs=1e-9)


def test_chrf_f_score_is_the_sentence_chrf():
    impl = CHRF()
    for hyp, ref in zip(HYPS, REFS[0]):
        row = sacrebleu_api.segment_statistics(impl, hyp, sacrebleu_api.reference_info(impl, [ref]))
        assert sacrebleu_api.chrf_f_score(impl, row) == pytest.approx(impl.sentence_score(hyp, [ref]).score,
                                                                      abs=1e-9)


@pytest.mark.parametrize("impl", METRICS, ids=lambda m: sacrebleu_api.signature(m))
def test_signature_is_the_public_signature(impl):
    impl.corpus_score(HYPS, REFS)
    assert sacrebleu_api.signature(impl) == str(impl.get_signature())


def test_signature_before_scoring_shows_unknown_reference_count():
    assert "nrefs:?" in sacrebleu_api.signature(BLEU())
    impl = BLEU()
    sacrebleu_api.set_reference_count(impl, 2)
    assert "nrefs:2" in sacrebleu_api.signature(impl)


def test_tokenizer_names_are_those_bleu_accepts():
    names = sacrebleu_api.tokenizer_names()
    assert {"13a", "intl", "char", "zh", "none", "ja-mecab"} <= set(names)
    for name in ("13a", "intl", "char", "zh", "none"):
        assert BLEU(tokenize=name).tokenizer.signature() == name
    assert "no-such-tokenizer" not in names
    with pytest.raises(KeyError):
        BLEU(tokenize="no-such-tokenizer")


def test_preprocess_and_chrf_words_are_what_chrf_plus_plus_counts():
    impl = CHRF(word_order=2)
    words = sacrebleu_api.chrf_words(impl, sacrebleu_api.preprocess(impl, "Hello, world!"))
    assert words == ["Hello", ",", "world", "!"]
    assert sacrebleu_api.smooth_default("floor") == BLEU.SMOOTH_DEFAULTS["floor"]
