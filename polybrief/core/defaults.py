"""Defaults every entry point shares (CLI flags, experiment YAML, library calls), named once."""
from __future__ import annotations

WORDS = 180  # a briefing's word budget, headline and bullets together
MAX_BULLETS = 5  # bullets under the headline when --sentences is not given
METHOD = "support"  # the default extractive method
ENCODER = "minilm"  # sentence encoder for centroid / mmr
TRANSLATOR = "apertium"  # offline MT backend (Debian's apertium)
DEVICE = "auto"  # generation models: CUDA when present
BATCH_SIZE = 8  # inputs per generate() call
GENERATION_SEED = 0  # sampling seed of generation models
SEED = 12345  # bootstrap and significance draws: sacreBLEU's default SACREBLEU_SEED
RESAMPLES = 1000  # bootstrap resamples for intervals and paired tests


__all__ = ["BATCH_SIZE", "DEVICE", "ENCODER", "GENERATION_SEED", "MAX_BULLETS", "METHOD", "RESAMPLES", "SEED",
           "TRANSLATOR", "WORDS"]
