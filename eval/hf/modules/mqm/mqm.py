"""polybrief mqm as a local evaluate module: evaluate.load(polybrief_module_path("mqm"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("mqm")


__all__ = ["Metric"]
