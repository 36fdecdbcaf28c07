"""The loader's refusal, in a module without scikit-learn: the registry subclasses it and callers
catch it in processes that may never load a model."""


class UntrustedModelError(Exception):
    """The artifact holds types outside the allow-list, or is not a civility pipeline."""
