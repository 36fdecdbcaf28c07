"""The loader's refusal, in a module without scikit-learn: the registry subclasses it and callers
catch it in processes that may never load a model."""


class UntrustedModelError(Exception):
    """The artifact holds types outside the allow-list, or is not a civility pipeline."""


class DataError(ValueError):
    """A labelled file that training or evaluation cannot use: no text column, a label that is not
    0, 1 or empty (named by line and column), or a source whose licence is unknown."""
