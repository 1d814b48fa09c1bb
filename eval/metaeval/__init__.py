"""Meta-evaluation: how well metrics agree with human judgements (correlations, metric selection, system level)."""

__all__: list[str] = []
