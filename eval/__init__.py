"""polybrief's scoring package: metrics, statistics and meta-evaluation (may import ``summarize``)."""
