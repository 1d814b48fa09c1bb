"""One cluster in, one briefing out: the steps every caller (CLI, experiment runner) shares.

1. bring every article into the working language (translate, keep the original);
2. select (extractive method) or generate (abstractive strategy with a model);
3. judge each machine-translated source (summarize.trust) for the sources list;
4. translate the finished briefing into the reader's language when it differs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from polybrief.core import defaults
from polybrief.core.document import Cluster
from polybrief.core.errors import PolybriefError, unknown_name
from polybrief.core.sentences import MAX_WORDS

from .abstractive import STRATEGIES, get_strategy
from .algorithms import ALGORITHMS, DEFAULT_METHOD, get_extractor
from .briefing import MAX_BULLETS, Briefing, briefing_from_text, build_briefing
from .generation import GenerationOptions
from .methods import METHODS
from .multilingual import prepare_cluster, translate_briefing
from .translate import get_translator

WORKING_LANGUAGE = "en"


@dataclass
class BriefOptions:
    """Everything that decides a briefing: the one options type. The CLI flags and a YAML system
    are flat settings that ``from_settings`` turns into these fields, in one place."""

    method: str = DEFAULT_METHOD
    words: int | None = defaults.WORDS
    max_bullets: int = MAX_BULLETS
    encoder: str = defaults.ENCODER
    params: dict[str, Any] = field(default_factory=dict)
    language: str | None = None  # the reader's language; None: English where the articles can be translated
    translator: str = defaults.TRANSLATOR
    model: str | None = None  # for abstractive strategies
    generation: GenerationOptions = field(default_factory=GenerationOptions)
    instruction: str | None = None
    verdicts: bool = True
    fluency_model: str | None = None

    @classmethod
    def from_settings(cls, *, method: str = DEFAULT_METHOD, words: int | None = defaults.WORDS,
                      sentences: int | None = None, encoder: str = defaults.ENCODER,
                      params: dict[str, Any] | None = None, language: str | None = None,
                      translator: str = defaults.TRANSLATOR, model: str | None = None,
                      generation: dict[str, Any] | None = None, device: str = defaults.DEVICE,
                      batch_size: int = defaults.BATCH_SIZE, seed: int = defaults.GENERATION_SEED,
                      max_input_tokens: int | None = None, instruction: str | None = None,
                      verdicts: bool = True, fluency_model: str | None = None) -> BriefOptions:
        """Options from flat settings, as ``brief``'s flags and an experiment's system give them:
        ``sentences`` counts the headline, so it allows ``sentences - 1`` bullets."""
        return cls(method=method, words=words, max_bullets=max(1, (sentences or MAX_BULLETS + 1) - 1),
                   encoder=encoder, params=dict(params or {}), language=language, translator=translator,
                   model=model, generation=GenerationOptions(device, batch_size, seed, max_input_tokens,
                                                             dict(generation or {})),
                   instruction=instruction, verdicts=verdicts, fluency_model=fluency_model)

    def check(self, words_setting: str = "--words") -> None:
        """Refuse, once and before any cluster, what would fail on every cluster; ``words_setting`` is how
        the caller spells the word budget (a flag, or a config key) so the advice can be followed."""
        if self.method not in METHODS:
            raise PolybriefError(unknown_name("method", self.method, METHODS))
        if self.method in ALGORITHMS:
            get_extractor(self.method, **self.params)  # an unknown or out-of-range parameter fails here
            if self.model or self.generation.kwargs:
                given = "--model" if self.model else "--gen"  # --gen alone was ignored without a word
                raise PolybriefError(f"method {self.method} is extractive and uses no model; {given} goes with "
                                     f"a generation method ({', '.join(sorted(STRATEGIES))})")
            if self.words is not None and self.words < MAX_WORDS:
                raise PolybriefError(f"a word budget of {self.words} cannot be honoured: one quoted sentence may "
                                     f"run to {MAX_WORDS} words, so give {words_setting} {MAX_WORDS} or more, "
                                     f"or drop {words_setting} and give a sentence count")
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
            briefing.notes.append(f"written in {briefing.language}: {translator.name} cannot translate it "
                                  f"into {reader}")
    return briefing


def working_language(cluster: Cluster, reader: str, can_translate: bool) -> str:
    """The language selection runs in: the reader's when most of the cluster is in it (or nothing can
    be translated), else English, where stemming, stop words and encoders are strongest."""
    majority = cluster.main_language(unknown=reader)
    return reader if majority == reader or not can_translate else WORKING_LANGUAGE


def add_verdicts(briefing: Briefing, cluster: Cluster, translator, fluency_model: str | None) -> None:
    """Fill each machine-translated source's verdict, its reason and the numbers behind it."""
    from .trust import verdicts

    reference = cluster.reference_summaries[0] if cluster.reference_summaries else None
    assessments = verdicts(cluster, translator, fluency_model, reference)
    for source in briefing.sources:
        found = assessments.get(source.doc_id)
        if found:
            source.verdict, source.verdict_reason, source.signals = found.verdict, found.reason, found.signals


__all__ = ["BriefOptions", "WORKING_LANGUAGE", "add_verdicts", "brief_cluster", "working_language"]
