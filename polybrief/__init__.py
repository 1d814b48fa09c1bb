"""polybrief: briefings from multilingual news clusters, and honest scoring of translations and summaries.

One import name over three parts: ``polybrief.core`` (documents, readers, sentence splitting,
terms, language id, encoders, errors: what both halves use), ``polybrief.summarize`` (briefings;
the repository's ``summarize/``) and ``polybrief.eval`` (metrics, statistics, experiments; the
repository's ``eval/``), with ``polybrief.cli`` above them. ``eval`` never needs ``summarize`` to
score, and ``summarize`` never imports ``eval``.

From Python (see README "Python API")::

    import polybrief
    briefing = polybrief.brief("seeds/")                     # -> Briefing
    polybrief.CHRF().corpus_score(hypotheses, [references])  # -> Score, with .score and .signature
    polybrief.run("configs/seeds.yaml")                      # -> RunResults

Names load on first use, so ``import polybrief`` stays light and scoring never loads the briefing code.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

# public name -> (module, attribute); metrics are the classes ``polybrief score --metrics`` names
_PUBLIC = {
    "brief": ("polybrief.api", "brief"), "briefing_markdown": ("polybrief.api", "briefing_markdown"),
    "read_clusters": ("polybrief.api", "read_clusters"), "run": ("polybrief.api", "run"),
    "RunResults": ("polybrief.api", "RunResults"), "Cluster": ("polybrief.core.document", "Cluster"),
    "Document": ("polybrief.core.document", "Document"), "PolybriefError": ("polybrief.core.errors", "PolybriefError"),
    "Score": ("polybrief.eval.metrics.base", "Score"), "get_metric": ("polybrief.eval.metrics", "get_metric"),
    "BLEU": ("polybrief.eval.metrics.bleu", "Bleu"), "CHRF": ("polybrief.eval.metrics.chrf", "Chrf"),
    "TER": ("polybrief.eval.metrics.ter", "Ter"), "ROUGE": ("polybrief.eval.metrics.rouge", "Rouge"),
    "BERTScore": ("polybrief.eval.metrics.bertscore", "BertScore"),
}
__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'polybrief' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    value = getattr(import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
