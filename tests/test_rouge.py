"""ROUGE: exact parity with rouge-score on English, and right answers in other languages."""
from __future__ import annotations

import json
import random

import numpy as np
import pytest
from rouge_score import rouge_scorer
from rouge_score.rouge_scorer import _lcs_table, lcs_ind

from polybrief.core.readers import read_reference
from polybrief.core.sentences import split_sentences
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics._fast.lcs import Sequences, lcs_lengths, lcs_union
from polybrief.eval.metrics._fast.rouge_tokenize import tokenize
from polybrief.eval.metrics.base import Segments
from polybrief.eval.metrics.rouge import TYPES

from .conftest import ROOT, SEEDS

DEV = ROOT.parent / "shared" / "data" / "multinews_dev250.jsonl"


def as_sentences(text: str) -> str:
    return "\n".join(s for para in text.split("\n") for s in split_sentences(para, "en"))


def english_pairs() -> list[tuple[str, str]]:
    """(hypothesis, reference) pairs from the seeds and, where present, the dev summaries."""
    # cut as the dev texts are: rouge-score's pure-Python LCS over two whole articles takes seconds a pair
    articles = [as_sentences(p.read_text(encoding="utf-8")[:1500]) for p in sorted(SEEDS.glob("*.txt"))]
    reference = as_sentences(read_reference(SEEDS / "reference.md"))
    pairs = [(a, reference) for a in articles] + [(a, b) for a in articles for b in articles if a != b]
    if DEV.exists():
        rows = [json.loads(line) for line in DEV.open(encoding="utf-8")][:60]
        pairs += [(as_sentences(r["documents"][0]["text"][:1500]), as_sentences(r["reference_summaries"][0]))
                  for r in rows]
    return pairs


def rouge_score_matrix(pairs: list[tuple[str, str]]) -> np.ndarray:
    scorer = rouge_scorer.RougeScorer(list(TYPES), use_stemmer=True)
    out = []
    for hyp, ref in pairs:
        s = scorer.score(ref, hyp)
        out.append([getattr(s[t], m) for t in TYPES for m in ("precision", "recall", "fmeasure")])
    return np.array(out)


def only_ascii_words(text: str) -> bool:
    return all(c.isascii() or not c.isalnum() for c in text)


@pytest.fixture(scope="module")
def pairs_and_expected():
    pairs = english_pairs()
    return pairs, rouge_score_matrix(pairs)


def test_equals_rouge_score_exactly_in_compatible_mode(pairs_and_expected):
    pairs, expected = pairs_and_expected
    ours = get_metric("rouge", tokenizer="rouge-score").segment_stats(
        Segments([h for h, _ in pairs], [[r for _, r in pairs]]))
    assert np.abs(ours - expected).max() <= 1e-9


def test_equals_rouge_score_on_english_text(pairs_and_expected):
    pairs, expected = pairs_and_expected
    ours = get_metric("rouge").segment_stats(Segments([h for h, _ in pairs], [[r for _, r in pairs]]))
    english = np.array([only_ascii_words(h + r) for h, r in pairs])
    assert english.sum() >= 20
    assert np.abs(ours[english] - expected[english]).max() <= 1e-9


def test_multiple_references_take_the_best_f():
    hyps = ["the cat sat on the mat", "a dog barked loudly"]
    refs = [["the cat is on the mat", "no overlap here"], ["a dog barked", "completely different words"]]
    ours = get_metric("rouge").segment_stats(Segments(hyps, [[r[0] for r in refs], [r[1] for r in refs]]))
    scorer = rouge_scorer.RougeScorer(list(TYPES), use_stemmer=True)
    for i, (h, r) in enumerate(zip(hyps, refs)):
        best = scorer.score_multi(r, h)
        assert ours[i, 2] == pytest.approx(best["rouge1"].fmeasure, abs=1e-12)


def test_lcs_matches_rouge_score_on_random_sequences():
    rng = random.Random(7)
    pairs = [([rng.randrange(6) for _ in range(rng.randrange(0, 30))],
              [rng.randrange(6) for _ in range(rng.randrange(0, 30))]) for _ in range(300)]
    refs, cans = Sequences.from_lists([p[0] for p in pairs]), Sequences.from_lists([p[1] for p in pairs])
    index = np.arange(len(pairs))
    lengths = lcs_lengths(refs, cans, index, index)
    union = set(lcs_union(refs, cans, index, index).tolist())
    for k, (ref, can) in enumerate(pairs):
        if not ref or not can:
            assert lengths[k] == 0
            continue
        assert lengths[k] == _lcs_table(ref, can)[-1][-1]
        start = int(refs.starts[k])
        assert sorted(p - start for p in union if start <= p < start + len(ref)) == lcs_ind(ref, can)


@pytest.mark.parametrize("language, text, expected", [
    ("es", "Cristóbal Colón llegó a América", ["cristobal", "colon", "lleg", "a", "amer"]),  # Snowball folds accents
    ("tr", "İstanbul'da Dışişleri Bakanı", None),
    ("ru", "Министр иностранных дел России", None),
    ("zh", "我爱北京天安门", ["我", "爱", "北", "京", "天", "安", "门"]),
])
def test_tokens_keep_non_ascii_words(language, text, expected):
    tokens = tokenize(text, language)
    if expected is not None:
        assert tokens == expected
    assert len(tokens) >= 3 and all(t for t in tokens)
    assert tokenize(text, language, ascii_only=True) != tokens  # rouge-score would lose or mangle them


def test_unstemmed_tokens_keep_accents():
    assert tokenize("Cristóbal Colón", "es", stem=False) == ["cristóbal", "colón"]
    assert tokenize("Cristóbal Colón", "es", stem=False, ascii_only=True) == ["crist", "bal", "col", "n"]


def test_spanish_stemming_matches_inflections():
    rouge = get_metric("rouge", "es")
    stats = rouge.segment_stats(Segments(["Los ministros llegaron"], [["El ministro llegó"]], language="es"))
    scores = rouge.corpus_scores(stats)
    assert scores["rouge1_r"] == pytest.approx(2 / 3)  # "ministr" and "lleg" match after stemming


def test_chinese_and_russian_score_where_rouge_score_gives_zero():
    zh = get_metric("rouge", "zh").corpus_scores(
        get_metric("rouge", "zh").segment_stats(Segments(["我爱北京"], [["我爱上海"]], language="zh")))
    assert zh["rouge1_f"] == pytest.approx(0.5)
    assert rouge_scorer.RougeScorer(["rouge1"]).score("我爱上海", "我爱北京")["rouge1"].fmeasure == 0
    ru_metric = get_metric("rouge", "ru")
    ru = ru_metric.corpus_scores(ru_metric.segment_stats(
        Segments(["Министр иностранных дел"], [["министра иностранных дел России"]], language="ru")))
    assert ru["rouge1_r"] == pytest.approx(3 / 4)


def test_unknown_language_scores_without_stemming(caplog):
    metric = get_metric("rouge", "xx")
    assert "stem:none" in metric.signature()
    assert "no stemmer" in caplog.text


def test_token_cache_is_bounded_without_changing_scores(monkeypatch):
    import eval.metrics.rouge as rouge_module

    segments = Segments(["the cat sat on the mat\nit purred", "dogs bark"], [["a cat sat on a mat", "dogs barked"]])
    expected = get_metric("rouge").segment_stats(segments)
    monkeypatch.setattr(rouge_module, "CACHE_LINES", 2)
    metric = get_metric("rouge")
    for _ in range(3):
        assert np.array_equal(metric.segment_stats(segments), expected)
    assert len(metric._token_cache) <= 6


def test_porter_stemmer_is_rouge_scores_own():
    """The stemmer comes from NLTK's public API in rouge-score's mode (NLTK_EXTENSIONS): these words stem
    differently under ORIGINAL_ALGORITHM, so a change of mode would fail here, not only in a score."""
    from rouge_score import tokenizers

    from polybrief.eval.metrics._fast.rouge_tokenize import word_stemmer

    words = ["sprayed", "lying", "grey", "trying", "workday", "dying", "holidays", "running", "generously"]
    theirs = tokenizers.DefaultTokenizer(use_stemmer=True)
    assert [word_stemmer("en")(w) for w in words] == [theirs.tokenize(w)[0] for w in words]
