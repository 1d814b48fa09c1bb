"""Each algorithm on a hand-made cluster whose right answer is known, plus shared guarantees."""
from __future__ import annotations

import numpy as np
import pytest

from polybrief.core.errors import PolybriefError
from polybrief.summarize.algorithms import ALGORITHMS, Budget, SentencePool, get_extractor
from polybrief.summarize.algorithms.lexrank import stationary_distribution
from polybrief.summarize.algorithms.support import cross_article_support


def texts(pool, indices):
    return [pool.sentences[i].text for i in indices]


def test_lead_is_round_robin(toy_cluster):
    pool = SentencePool(toy_cluster)
    order = get_extractor("lead").rank(pool)
    assert [(pool.sentences[i].doc_id, pool.sentences[i].position) for i in order[:4]] == [
        ("a", 0), ("b", 0), ("c", 0), ("a", 1)]


def test_support_prefers_the_fact_every_article_reports(toy_cluster):
    pool = SentencePool(toy_cluster)
    support = cross_article_support(pool)
    off_topic = [i for i, s in enumerate(pool.sentences) if s.position == 2]
    assert support[off_topic].max() < support.min(initial=1, where=np.isin(np.arange(len(pool)), off_topic,
                                                                         invert=True)) + 1e-9
    top = texts(pool, get_extractor("support").rank(pool)[:1])[0]
    assert "collapse" in top and "twelve" in top or "Harbor Bridge collapsed" in top


def test_support_on_one_article_falls_back_to_centrality(toy_cluster):
    toy_cluster.documents = toy_cluster.documents[:1]
    pool = SentencePool(toy_cluster)
    chosen = texts(pool, get_extractor("support").select(pool, Budget(sentences=2)))
    assert not any("gardening" in t for t in chosen)


@pytest.mark.parametrize("method", ["centroid", "mmr", "lexrank", "support"])
def test_off_topic_sentences_rank_last(toy_cluster, method):
    pool = SentencePool(toy_cluster)
    order = get_extractor(method).rank(pool)
    assert sorted(order) == list(range(len(pool)))
    last_three = texts(pool, order[-3:])
    off_topic = ("gardening", "bakery", "football")
    assert sum(any(w in t for w in off_topic) for t in last_three) >= 2, last_three


def test_mmr_does_not_take_the_same_fact_twice(toy_cluster):
    pool = SentencePool(toy_cluster)
    first, second = texts(pool, get_extractor("mmr", diversity=0.7).rank(pool)[:2])
    assert not ("twelve" in first and "twelve" in second and "collapsed" in first and "collapsed" in second)


@pytest.fixture(scope="module")
def seed_encoder():
    """One MiniLM for the module: its vectors are memoised by text, so the seeds are encoded once (2 s)."""
    from polybrief.core.encoders import get_encoder

    return get_encoder("minilm")


@pytest.mark.parametrize("method", sorted(ALGORITHMS))
def test_budget_and_determinism(seed_cluster, seed_encoder, method):
    pool = SentencePool(seed_cluster, seed_encoder)
    extractor = get_extractor(method)
    chosen = extractor.select(pool, Budget(words=120))
    assert sum(pool.sentences[i].n_words for i in chosen) <= 120
    assert chosen == extractor.select(SentencePool(seed_cluster, seed_encoder), Budget(words=120))  # a fresh pool
    assert len(extractor.select(pool, Budget(words=None, sentences=3))) == 3


def test_selection_skips_near_duplicates(seed_cluster):
    pool = SentencePool(seed_cluster)
    chosen = get_extractor("support").select(pool, Budget(words=400))
    word_sets = [set(pool.sentences[i].text.lower().split()) for i in chosen]
    for i in range(len(word_sets)):
        for j in range(i):
            overlap = len(word_sets[i] & word_sets[j]) / len(word_sets[i] | word_sets[j])
            assert overlap < 0.5


def test_stationary_distribution_matches_a_known_graph():
    # A star: the hub gets the largest share, the leaves share the rest equally.
    weights = np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], dtype=float)
    scores = stationary_distribution(weights)
    assert scores.sum() == pytest.approx(1.0)
    assert scores[0] > scores[1] and scores[1] == pytest.approx(scores[3])


def test_bad_method_and_parameters():
    with pytest.raises(PolybriefError, match="choose one of"):
        get_extractor("textrank9")
    with pytest.raises(PolybriefError, match="diversity"):
        get_extractor("mmr", diversity=2.0)
    with pytest.raises(ValueError):
        Budget(words=None, sentences=None)


def test_tfidf_equals_scikit_learns_vectorizer(seed_cluster):
    """polybrief's TF-IDF exists for speed (polybrief/core/terms.py): the matrix scikit-learn makes, with
    empty rows, repeated terms and the all-stop-word case included."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from polybrief.core.terms import tfidf_from_terms

    terms = SentencePool(seed_cluster, None).all_terms
    for rows in (terms, terms + [[], ["troop", "troop", "troop", "belaru"]], [[]] + terms[:3]):
        expected = TfidfVectorizer(analyzer=list, sublinear_tf=True).fit_transform(rows).toarray()
        assert np.allclose(tfidf_from_terms(rows).toarray(), expected, rtol=0, atol=1e-12)
    assert tfidf_from_terms([[], []]).shape == (2, 1) and tfidf_from_terms([[], []]).nnz == 0
