"""polybrief bertscore as a local evaluate module: evaluate.load(polybrief_module_path("bertscore"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("bertscore")


__all__ = ["Metric"]
