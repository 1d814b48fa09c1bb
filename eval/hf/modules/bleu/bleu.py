"""polybrief bleu as a local evaluate module: evaluate.load(polybrief_module_path("bleu"))."""
from polybrief.eval.hf.module import module_class

Metric = module_class("bleu")


__all__ = ["Metric"]
