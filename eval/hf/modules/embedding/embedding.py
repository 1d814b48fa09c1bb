"""polybrief embedding as a local evaluate module: evaluate.load(polybrief_module_path("embedding"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("embedding")


__all__ = ["Metric"]
