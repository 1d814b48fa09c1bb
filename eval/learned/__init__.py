"""The learned metric ``mqm``: features of (source, translation, reference), a linear head trained on
expert MQM judgements, the packaged model folder and the training command behind it."""
