"""polybrief ter as a local evaluate module: evaluate.load(polybrief_module_path("ter"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("ter")


__all__ = ["Metric"]
