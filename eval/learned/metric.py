"""``mqm``: the learned metric, predicting expert MQM scores; trained offline, shipped in the package."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polybrief.core.errors import PolybriefError

from ..metrics.base import MeanMetric, Segments

if TYPE_CHECKING:
    from .model import Head


class LearnedMqm(MeanMetric):
    """A learned metric: predicts the expert MQM score of a translation (0 = no errors, more negative =
    worse). With a reference: a linear scorer over chrF/chrF++ per-order statistics and length, number
    and copy checks, trained on within-segment rankings of public expert MQM judgements (the design won
    a leave-one-dataset-out cross-validation against MLPs and COMET-style sentence vectors,
    docs/benchmarks.md); several references: the best one wins. Without one: a small network over
    multilingual E5 vectors of source and output. The model states the target languages it was trained
    for; any other target language is refused.

    Args:
        model: a folder written by ``polybrief train-metric`` (default: the packaged model).
        source: "auto" or true (default auto): read the sources when given; false: never (the
            reference head alone: chrF statistics without the source checks).
        language: target language; refused when the model was not trained for it.
        cache: a folder to keep sentence vectors in, so texts scored again (a reference shared by many
            systems, a rerun) are encoded once; vectors are keyed by the text's SHA-256.

    Scores: ``score`` (predicted MQM, higher is better); the corpus score is the mean.

    Example:
        >>> mqm = get_metric("mqm")
        >>> mqm.needs_references, mqm.signature().startswith("mqm|head:")
        (False, True)
    """

    citation = ('Markus Freitag et al. 2021. Experts, Errors, and Context: A Large-Scale Study of Human '
                'Evaluation for Machine Translation. TACL. https://aclanthology.org/2021.tacl-1.87')
    name = "mqm"
    needs_references = False

    def __init__(self, model: str | None = None, source: bool | str = "auto", language: str = "en",
                 cache: str | None = None) -> None:
        from .model import load_model

        if source not in (True, False, "auto"):
            raise PolybriefError(f"mqm: source must be auto, true or false, not {source!r}")
        self.model = load_model(model)
        self.model.check_language(language)
        self.model_name, self.source, self.language = model or "packaged", source, language.split("-")[0].lower()
        self._head_name, self.cache = "?", cache

    def _head(self, has_reference: bool, has_source: bool) -> tuple[str, Head]:
        return self.model.head_for(has_reference, has_source and self.source is not False)

    def note_references(self, count: int) -> None:
        """For a signature written before scoring: the head a translation test set (sources given) gets."""
        self._head_name = self._head(count > 0, True)[0]

    def signature(self) -> str:
        refs = "|multi-ref:max" if self._head_name.startswith("reference") else ""
        return (f"mqm|head:{self._head_name}|model:{self.model_name}|weights:{self.model.digest}"
                f"|lang:{self.language}{refs}|polybrief")

    def check(self, segments: Segments) -> None:
        if not segments.references and (segments.sources is None or self.source is False):
            raise PolybriefError("mqm needs references or sources (--ref or --src)")

    def segment_stats(self, segments: Segments) -> np.ndarray:
        from .embeddings import Encoder
        from .features import REFERENCE_FREE, compute

        self.check(segments)
        self._head_name, head = self._head(bool(segments.references), segments.sources is not None)
        hyps, sources, encoder = segments.hypotheses, segments.sources, Encoder(self.cache)
        # blocks that read no reference are computed once, not once per reference
        fixed = {b: compute([b], hyps, None, sources, encoder) for b in head.blocks if b in REFERENCE_FREE}

        def predict(refs: list[str] | None) -> np.ndarray:
            parts = [fixed[b] if b in fixed else compute([b], hyps, refs, sources, encoder) for b in head.blocks]
            return head.predict(np.column_stack(parts))

        if not segments.references:
            return predict(None)[:, None]
        return np.max([predict(refs) for refs in segments.references], axis=0)[:, None]  # best reference wins


__all__ = ["LearnedMqm"]
