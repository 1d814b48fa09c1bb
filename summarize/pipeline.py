"""One cluster in, one briefing out: the steps every caller (CLI, experiment runner) shares.

1. bring every article into the working language (translate, keep the original);
2. select (extractive method) or generate (abstractive strategy with a model);
3. judge each machine-translated source (summarize.trust) for the sources list;
4. translate the finished briefing into the reader's language when it differs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .abstractive import STRATEGIES, get_strategy
from .algorithms import ALGORITHMS, DEFAULT_METHOD
from .briefing import MAX_BULLETS, Briefing, briefing_from_text, build_briefing
from .document import Cluster
from .errors import PolybriefError, unknown_name
from .generation import GenerationOptions
from .multilingual import prepare_cluster, translate_briefing
from .translate import get_translator

METHODS = sorted(ALGORITHMS) + sorted(STRATEGIES)
WORKING_LANGUAGE = "en"


@dataclass
class BriefOptions:
    """Everything that decides a briefing; the CLI flags and a YAML system map onto these fields."""

    method: str = DEFAULT_METHOD
    words: int | None = 180
    max_bullets: int = MAX_BULLETS
    encoder: str = "minilm"
    params: dict[str, Any] = field(default_factory=dict)
    language: str | None = None  # the reader's language; None: English where the articles can be translated
    translator: str = "apertium"
    model: str | None = None  # for abstractive strategies
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    instruction: str | None = None
    verdicts: bool = True
    fluency_model: str | None = None

    def check(self) -> None:
        if self.method not in METHODS:
            raise PolybriefError(unknown_name("method", self.method, METHODS))
        if self.method in STRATEGIES and not self.model:
            raise PolybriefError(f"method {self.method} generates text: give a model (--model PATH)")
        get_translator(self.translator)  # a bad backend or model fails here, once, not per cluster
        if self.method in STRATEGIES:
            get_strategy(self.method, self.model, self.words, self.generation, self.instruction)
        if self.fluency_model:
            from .fluency import get_fluency_scorer

            get_fluency_scorer(self.fluency_model)


def brief_cluster(cluster: Cluster, options: BriefOptions) -> Briefing:
    """The briefing of ``cluster`` under ``options`` (a PolybriefError for anything the user can fix);
    call ``options.check()`` once first."""
    translator = get_translator(options.translator)
    reader = options.language or WORKING_LANGUAGE
    working = prepare_cluster(cluster, working_language(cluster, reader, translator is not None), translator)
    if options.method in STRATEGIES:
        strategy = get_strategy(options.method, options.model, options.words, options.generation,
                                options.instruction)
        briefing = briefing_from_text(working, strategy.summarize(working), f"{options.method}:{options.model}",
                                      options.max_bullets, options.words)
    else:
        briefing = build_briefing(working, options.method, options.words, options.max_bullets, options.encoder,
                                  **options.params)
    if options.verdicts:
        add_verdicts(briefing, working, translator, options.fluency_model)
    if translator and reader != briefing.language:
        if options.language or translator.supports(briefing.language, reader):
            briefing = translate_briefing(briefing, working, reader, translator)
        else:  # nobody asked for English outright: a briefing in the articles' language beats none
            briefing.notes.append(f"written in {briefing.language}: {translator.name} cannot translate it into {reader}")
    return briefing


def working_language(cluster: Cluster, reader: str, can_translate: bool) -> str:
    """The language selection runs in: the reader's when most of the cluster is in it (or nothing can
    be translated), else English, where stemming, stop words and encoders are strongest."""
    words: dict[str, int] = {}
    for doc in cluster.documents:
        words[doc.language or reader] = words.get(doc.language or reader, 0) + doc.n_words
    majority = max(sorted(words), key=words.__getitem__)
    return reader if majority == reader or not can_translate else WORKING_LANGUAGE


def add_verdicts(briefing: Briefing, cluster: Cluster, translator, fluency_model: str | None) -> None:
    """Fill each machine-translated source's verdict, its reason and the numbers behind it."""
    from .fluency import get_fluency_scorer
    from .trust import assess_cluster

    fluency = get_fluency_scorer(fluency_model) if fluency_model else None
    reference = cluster.reference_summaries[0] if cluster.reference_summaries else None
    assessments = assess_cluster(cluster, translator, fluency, reference)
    for source in briefing.sources:
        found = assessments.get(source.doc_id)
        if found:
            source.verdict, source.verdict_reason, source.signals = found.verdict, found.reason, found.signals
