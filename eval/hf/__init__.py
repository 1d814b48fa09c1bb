"""polybrief metrics as local Hugging Face ``evaluate`` modules: ``module.py``; one folder a metric in ``modules/``."""

__all__: list[str] = []
