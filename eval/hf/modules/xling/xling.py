"""polybrief xling as a local evaluate module: evaluate.load(polybrief_module_path("xling"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("xling")


__all__ = ["Metric"]
