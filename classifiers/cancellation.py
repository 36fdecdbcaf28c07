"""How a caller stops training midway, in a module of its own: a process that only catches it (the
training task's runner) need not import scikit-learn with `classifiers.train`."""


class TrainingCancelled(Exception):
    """should_stop() said so: nothing was written."""
