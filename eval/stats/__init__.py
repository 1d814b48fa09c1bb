"""Statistics over per-segment scores: bootstrap intervals, paired tests, significance tiers and rank ranges."""

__all__: list[str] = []
