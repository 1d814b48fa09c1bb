"""BERTScore through the ``bert-score`` package, on a local encoder (default: packaged MiniLM)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from polybrief.core.encoders import ENGLISH_ONLY, minilm_path
from polybrief.core.errors import PolybriefError

from .base import MeanMetric, Segments

IDF_REFUSED = ("bertscore:idf=true is not supported: idf weights come from the whole reference corpus, while "
               "polybrief scores in batches and resumes, so a segment's score would depend on its batch; "
               "use idf=false")


class BertScore(MeanMetric):
    """BERTScore (Zhang et al., 2020) through the bert-score package, on an encoder that installs offline
    (the packaged all-MiniLM-L6-v2 by default) or any local Hugging Face encoder folder: greedy
    matching of contextual token embeddings, precision, recall and F1. English-only with the default
    encoder.

    Args:
        model: "minilm" or a local encoder folder (minilm is refused for a non-English target).
        num_layers: which layer's embeddings (default: bert-score's choice for the model, else the last).
        batch_size: segments per forward pass.
        idf: refused when true (see ``IDF_REFUSED``); accepted as false, the only value it computes.

    Scores: ``precision``, ``recall``, ``f1`` (cosine scale, higher is better); primary ``f1``.

    Example:
        >>> scores = get_metric("bertscore").segment_stats(Segments(["a cat sat"], [["a cat sat"]]))
    """

    citation = ('Tianyi Zhang et al. 2020. BERTScore: Evaluating Text Generation with BERT. ICLR. '
                'https://openreview.net/forum?id=SkeHuCVFDr')
    name = "bertscore"
    score_names = ("precision", "recall", "f1")
    primary = "f1"

    def __init__(self, model: str = "minilm", num_layers: int | None = None, batch_size: int = 64,
                 idf: bool = False, language: str = "en") -> None:
        if idf:
            raise PolybriefError(IDF_REFUSED)
        if model in ENGLISH_ONLY and language.split("-")[0].lower() != "en":
            raise PolybriefError(f"bertscore on {language!r} text: the packaged {model} is English-only and no "
                                 "multilingual BERT installs offline; give bertscore:model=/path/to/encoder")
        path = minilm_path() if model == "minilm" else Path(model)
        if not (path / "config.json").exists():
            raise PolybriefError(f"bertscore model {model}: not a local model directory (no config.json)")
        if num_layers is None:
            import json

            num_layers = int(json.loads((path / "config.json").read_text())["num_hidden_layers"])
        self.model_name, self.path, self.num_layers = model, path, num_layers
        self.batch_size, self.idf = batch_size, idf
        self._scorer = None

    def signature(self) -> str:
        import bert_score

        return (f"bertscore|model:{self.model_name}|layer:{self.num_layers}|idf:{'yes' if self.idf else 'no'}"
                f"|rescale:no|version:{bert_score.__version__}")

    def _get_scorer(self):
        if self._scorer is None:
            from bert_score import BERTScorer

            self._scorer = BERTScorer(model_type=str(self.path), num_layers=self.num_layers,
                                      batch_size=self.batch_size, idf=False)
        return self._scorer

    def _score_pairs(self, hypotheses: list[str], references: list[str]) -> np.ndarray:
        """(P, R, F) per pair; a pair with an empty side scores 0, bert-score's own value for it, without
        calling bert-score (0.3.13 encodes "" with a tokenizer method transformers 5 removed)."""
        out = np.zeros((len(hypotheses), 3))
        keep = [i for i, (h, r) in enumerate(zip(hypotheses, references)) if h.strip() and r.strip()]
        if keep:
            p, r, f = self._get_scorer().score([hypotheses[i] for i in keep], [references[i] for i in keep])
            out[keep] = np.stack([p.numpy(), r.numpy(), f.numpy()], axis=1)
        return out

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        per_ref = [self._score_pairs(segments.hypotheses, refs) for refs in segments.references]
        if len(per_ref) == 1:
            return per_ref[0]
        best = np.stack([s[:, 2] for s in per_ref]).argmax(axis=0)
        return np.stack(per_ref)[best, np.arange(len(best))]


__all__ = ["IDF_REFUSED", "BertScore"]
