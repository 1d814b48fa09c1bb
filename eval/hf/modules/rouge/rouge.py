"""polybrief rouge as a local evaluate module: evaluate.load(polybrief_module_path("rouge"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("rouge")


__all__ = ["Metric"]
