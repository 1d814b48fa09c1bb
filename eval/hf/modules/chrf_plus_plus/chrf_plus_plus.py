"""polybrief chrf++ as a local evaluate module: evaluate.load(polybrief_module_path("chrf++"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("chrf++")


__all__ = ["Metric"]
