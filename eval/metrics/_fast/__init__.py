"""Fast statistics, tokenizers and n-gram/LCS matching behind the metrics (private; same numbers as sacreBLEU/rouge)."""
