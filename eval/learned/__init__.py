"""The learned metric ``mqm``: features of (source, translation, reference), sentence vectors, heads fitted
on within-segment rankings of expert MQM judgements, the packaged model folder, the metric itself and
the training command behind it."""


__all__: list[str] = []
