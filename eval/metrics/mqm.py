"""``mqm``: a learned metric predicting expert MQM scores, trained offline, shipped in the package."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from polybrief.core.errors import PolybriefError

from .base import MeanMetric, Segments

if TYPE_CHECKING:
    from polybrief.eval.learned.model import LinearHead


class LearnedMqm(MeanMetric):
    """A learned metric: predicts the expert MQM score of a translation (0 = no errors, more negative =
    worse) with a linear head over chrF/chrF++ statistics, length, number and copy checks and, for
    English targets, BERTScore on the packaged MiniLM; trained on public expert MQM judgements
    (docs/benchmarks.md). Uses a reference when there is one (best reference wins), else the source
    alone (multilingual E5 similarity and checks on numbers and copied words); ``source=true`` adds
    the source features beside a reference.

    Args:
        model: a folder written by ``polybrief train-metric`` (default: the packaged model).
        source: when to read the sources: "auto" (default) only when there is no reference (the
            multilingual encoder makes scoring 3.5x slower than BERTScore; without it ``mqm`` runs at
            BERTScore's speed), true also beside a reference, false never.
        language: target language (BERTScore features only for English).

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

    def __init__(self, model: str | None = None, source: bool | str = "auto", language: str = "en") -> None:
        from polybrief.eval.learned.model import load_model

        if source not in (True, False, "auto"):
            raise PolybriefError(f"mqm: source must be auto, true or false, not {source!r}")
        self.model = load_model(model)
        self.model_name, self.source = model or "packaged", source
        self.english = language.split("-")[0].lower() == "en"
        self._head_name = "?"

    def _reads_sources(self, has_reference: bool, has_source: bool) -> bool:
        return has_source and (self.source is True or (self.source == "auto" and not has_reference))

    def note_references(self, count: int) -> None:
        """For a signature written before scoring: the head a translation test set (sources given) gets."""
        self._head_name = self.model.head_for(count > 0, self._reads_sources(count > 0, True), self.english)[0]

    def _head(self, segments: Segments) -> tuple[str, LinearHead]:
        has_reference = bool(segments.references)
        reads = self._reads_sources(has_reference, segments.sources is not None)
        return self.model.head_for(has_reference, reads, self.english)

    def signature(self) -> str:
        refs = "|multi-ref:max" if self._head_name.startswith("reference") else ""
        return f"mqm|head:{self._head_name}|model:{self.model_name}|weights:{self.model.digest}{refs}|polybrief"

    def check(self, segments: Segments) -> None:
        if not segments.references and (segments.sources is None or self.source is False):
            raise PolybriefError("mqm needs references or sources (--ref or --src)")

    def segment_stats(self, segments: Segments) -> np.ndarray:
        from polybrief.eval.learned.features import REFERENCE_FREE, compute

        self.check(segments)
        self._head_name, head = self._head(segments)
        hyps, sources, layer = segments.hypotheses, segments.sources, self.model.bertscore_layer
        # blocks that read no reference are computed once, not once per reference (the source block is the slow one)
        fixed = {b: compute([b], hyps, None, sources, layer) for b in head.blocks if b in REFERENCE_FREE}

        def predict(refs: list[str] | None) -> np.ndarray:
            parts = [fixed[b] if b in fixed else compute([b], hyps, refs, sources, layer) for b in head.blocks]
            return head.predict(np.column_stack(parts))

        if not segments.references:
            return predict(None)[:, None]
        return np.max([predict(refs) for refs in segments.references], axis=0)[:, None]  # best reference wins
