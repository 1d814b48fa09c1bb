"""Per-article report of a cluster against a reference summary (``polybrief score-docs``).

It sits above both halves: the trust verdicts come from ``polybrief.summarize``, the scores
from ``polybrief.eval``.

Each article is scored as if it were the summary (ROUGE recall of the reference, chrF,
embedding similarity), and each machine-translated article gets its trust verdict (see
summarize.trust), so a reader can see what a machine-translated article gains or
loses against the native ones: translation noise shows up as lower n-gram recall at
similar meaning (embedding) similarity. The embedding reads an article's opening (the
encoder's first 128 tokens), where news puts what the summary is about.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from polybrief.core.document import Cluster
from polybrief.core.markdown import inert, mt_label
from polybrief.eval.metrics import get_metric
from polybrief.eval.metrics.base import Segments
from polybrief.summarize.multilingual import prepare_cluster
from polybrief.summarize.translate import get_translator
from polybrief.summarize.trust import Assessment, verdicts


def score_documents(cluster: Cluster, reference: str, translator: str = "apertium",
                    fluency_model: str | None = None) -> list[dict[str, Any]]:
    """One row per article: language, MT flag, ROUGE-1/2 recall, chrF, embedding cosine, and for
    machine-translated articles the trust verdict with the signals behind it (summarize.trust).

    Articles in another language than the reference are translated first (``translator``), so
    every row compares like with like; the original stays in the document for the xling signal."""
    cluster = prepare_cluster(cluster, "en", get_translator(translator))
    assessments = verdicts(cluster, get_translator(translator), fluency_model, reference)
    articles = [d.text for d in cluster.documents]
    segments = Segments(articles, [[reference] * len(articles)], language="en")
    rouge = get_metric("rouge")
    rouge_scores = rouge.segment_scores(rouge.segment_stats(segments))
    r1, r2 = rouge.score_names.index("rouge1_r"), rouge.score_names.index("rouge2_r")
    chrf = get_metric("chrf")
    chrf_scores = chrf.segment_scores(chrf.segment_stats(segments))[:, 0]
    embedding = get_metric("embedding")
    cosine = embedding.segment_scores(embedding.segment_stats(segments))[:, 0]
    return [{"doc_id": d.doc_id, "language": d.language, "machine_translated": d.machine_translated,
             "source_language": d.source_language, "words": d.n_words,
             "rouge1_recall": float(rouge_scores[i, r1]), "rouge2_recall": float(rouge_scores[i, r2]),
             "chrf": float(chrf_scores[i]), "embedding": float(cosine[i]),
             **verdict_fields(assessments.get(d.doc_id))}
            for i, d in enumerate(cluster.documents)]


def verdict_fields(found: Assessment | None) -> dict[str, Any]:
    if found is None:
        return {"verdict": None, "verdict_reason": None, "signals": {}}
    return {"verdict": found.verdict, "verdict_reason": found.reason, "signals": found.signals}


def documents_table(rows: list[dict[str, Any]]) -> str:
    lines = ["| article | language | machine-translated | words | ROUGE-1 R | ROUGE-2 R | chrF | embedding "
             "| verdict |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        mt = mt_label(r["machine_translated"], r["source_language"])
        lines.append(f"| {inert(r['doc_id'])} | {r['language'] or '?'} | {mt} | {r['words']} | "
                     f"{r['rouge1_recall']:.3f} | {r['rouge2_recall']:.3f} | {r['chrf']:.1f} | {r['embedding']:.3f} "
                     f"| {r['verdict'] or 'native'} |")
    lines += [""] + [f"- {inert(r['doc_id'])}: **{r['verdict']}**: {inert(r['verdict_reason'])}"
                     for r in rows if r["verdict"]]
    native = [r for r in rows if not r["machine_translated"]]
    translated = [r for r in rows if r["machine_translated"]]
    if native and translated:
        lines.append("")
        for key, label in (("rouge2_recall", "ROUGE-2 recall"), ("chrf", "chrF"), ("embedding", "embedding")):
            mean_native = float(np.mean([r[key] for r in native]))
            for r in translated:
                lines.append(f"- {r['doc_id']} (machine-translated): {label} {r[key]:.3f} vs native mean "
                             f"{mean_native:.3f} ({r[key] - mean_native:+.3f})")
    return "\n".join(lines)


__all__ = ["documents_table", "score_documents", "verdict_fields"]
