"""The shipped model: loading with an allow-list, versioning, scoring and explaining."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any, Sequence

import numpy as np
from sklearn.pipeline import Pipeline

from classifiers.attributes import ATTRIBUTES
from classifiers.explain import explain_text
from classifiers.features import CivilityFeatures
from classifiers.floors import ScoreFloors
from classifiers.heads import MaskedLinearHeads
from classifiers.normalise import mapped_length
from classifiers.errors import UntrustedModelError
from classifiers.paths import DEFAULT_MODEL_PATH, card_path_for, version_name
from classifiers.pooling import SentencePooling, pooled_scores
from classifiers.windows import text_windows

# Every type our own training writes into an artifact, and nothing else: an artifact that
# needs any other type was not produced by `train_model` and is refused before loading.
TRUSTED_TYPES: tuple[str, ...] = (
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.int",
    "builtins.float",
    "builtins.str",
    "builtins.bool",
    "builtins.NoneType",
    "numpy.ndarray",
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "sklearn.pipeline.Pipeline",
    "classifiers.features.CivilityFeatures",
    "classifiers.heads.MaskedLinearHeads",
)


def _skops_io() -> Any:
    """skops.io, imported when an artifact is read or written: importing it imports every
    scikit-learn estimator (and pytest) to list the types it trusts, about 1.5 s that a process
    which never loads a model (beat, most CLI commands) should not pay at start-up."""
    import skops.io

    return skops.io


def save_model(pipeline: Pipeline, card: dict[str, Any], path: Path) -> Path:
    sio = _skops_io()
    path.parent.mkdir(parents=True, exist_ok=True)
    sio.dump(pipeline, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    card_path_for(path).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def _version(card: dict[str, Any], artifact: bytes, card_bytes: bytes) -> str:
    return version_name(card, hashlib.sha256(artifact + b"\0" + card_bytes).hexdigest())


def _types_in_schema(artifact: bytes) -> set[str]:
    with zipfile.ZipFile(io.BytesIO(artifact)) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("__module__"), str) and isinstance(node.get("__class__"), str):
                found.add(f"{node['__module__']}.{node['__class__']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def load_model(path: str | Path = DEFAULT_MODEL_PATH) -> "CivilityModel":
    """Load an artifact and its card, refusing any type not in TRUSTED_TYPES."""
    path = Path(path)
    return load_model_bytes(path.read_bytes(), card_path_for(path).read_bytes(), name=str(path))


def load_model_bytes(artifact: bytes, card_bytes: bytes, *, name: str = "artifact") -> "CivilityModel":
    """load_model for bytes already read, so a caller that hashed them loads exactly what it
    hashed. `name` says which artifact in error messages."""
    sio = _skops_io()
    try:
        untrusted = sio.get_untrusted_types(data=artifact)
        # skops trusts numpy and every scikit-learn estimator by default; we trust only what
        # our own training writes, so every type named in the artifact is checked.
        named = _types_in_schema(artifact)
    except Exception as error:  # a corrupt or foreign zip is as untrustworthy as a bad type
        raise UntrustedModelError(f"{name}: not a readable skops artifact ({error})") from error
    refused = sorted((set(untrusted) | named) - set(TRUSTED_TYPES))
    if refused:
        raise UntrustedModelError(f"{name}: refusing to load untrusted types: {', '.join(refused)}")
    pipeline = sio.loads(artifact, trusted=list(untrusted))
    if not (
        isinstance(pipeline, Pipeline)
        and isinstance(pipeline[0], CivilityFeatures)
        and isinstance(pipeline[-1], MaskedLinearHeads)
    ):
        raise UntrustedModelError(f"{name}: not a civility pipeline ({type(pipeline).__name__})")
    try:
        card = json.loads(card_bytes)
        return CivilityModel(pipeline, card, _version(card, artifact, card_bytes))
    except ValueError as error:  # a card that is not JSON, or whose scoring rules are malformed
        raise UntrustedModelError(f"{name}: unreadable model card ({error})") from error


# Windows of a long text overlap by this many mapped characters (a fifth of the shipped 5,000),
# so any phrase of up to 500 of them is read whole by at least one window.
WINDOW_OVERLAP_SHARE = 0.2
# Explaining costs ~0.015-0.02 ms of CPU per mapped character, ten times scoring it, and U+FDFA
# maps to 18: 5,000 of them took 1.9 s. At most two windows' worth (10,000 mapped characters) of
# a text are explained, those that scored highest: ~180 ms for 20,000 U+FDFA.
EXPLAIN_BUDGET_WINDOWS = 2


def _card_thresholds(card: Any, attributes: Sequence[str]) -> dict[str, float]:
    """The card's threshold for each attribute the model scores, each in (0, 1]: training writes one
    for every head. Raises ValueError otherwise: a card of `{}` loaded, was promoted, and held nothing."""
    found = card.get("thresholds") if isinstance(card, dict) else None
    if not isinstance(found, dict):
        raise ValueError("the card has no thresholds")
    missing = [a for a in attributes if a not in found]
    if missing:
        raise ValueError(f"the card has no threshold for {', '.join(missing)}")
    thresholds: dict[str, float] = {}
    for attribute, value in found.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            # 0 holds every comment: no training writes it, and a card that says so is a mistake.
            raise ValueError(f"the card's threshold for {attribute} must be above 0 and at most 1, not {value!r}")
        thresholds[attribute] = float(value)
    return thresholds


class CivilityModel:
    """Scores texts for the six ATTRIBUTES; `attributes` lists those the model scores reliably.

    Every character of a text is scored: a text longer than the features read at once
    (`features.max_chars` after normalisation) is scored in overlapping windows, taking each
    attribute's highest score; its explanation comes from the windows that scored highest, at
    most `explain_budget` mapped characters of them, so crafted text cannot make it expensive.
    """

    def __init__(self, pipeline: Pipeline, card: dict[str, Any], version: str) -> None:
        self.pipeline = pipeline
        self.card = card
        self.version = version
        self.features: CivilityFeatures = pipeline[0]
        self.heads: MaskedLinearHeads = pipeline[-1]
        self.attributes: tuple[str, ...] = tuple(self.heads.attributes_)
        self.thresholds: dict[str, float] = _card_thresholds(card, self.attributes)
        self.window_size: int = int(self.features.max_chars)
        self.window_overlap: int = int(self.window_size * WINDOW_OVERLAP_SHARE)
        self.explain_budget: int = self.window_size * EXPLAIN_BUDGET_WINDOWS
        self.pooling: SentencePooling | None = SentencePooling.from_card(card)
        self.floors: ScoreFloors | None = ScoreFloors.from_card(card)

    def __repr__(self) -> str:
        return f"CivilityModel(version={self.version!r}, attributes={self.attributes!r})"

    def windows(self, text: str) -> list[tuple[int, int]]:
        """[start, end) offsets of the pieces of `text` scored on their own: one for most texts."""
        return text_windows(text, self.window_size, self.window_overlap)

    def predict_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, shape (len(texts), len(ATTRIBUTES)): per text, the highest of its windows."""
        if isinstance(texts, str):
            raise TypeError("score() takes a sequence of texts, not a single string")
        if len(texts) == 0:
            return np.empty((0, len(ATTRIBUTES)))
        size = self.window_size
        if all(len(t) <= size and (t.isascii() or mapped_length(t) <= size) for t in texts):
            return self._predict_pieces(list(texts))  # the usual batch: one window each
        spans = [self.windows(t) for t in texts]
        matrix = self._predict_pieces([t[a:b] for t, s in zip(texts, spans) for a, b in s])
        firsts = np.r_[0, np.cumsum([len(s) for s in spans])[:-1]]
        return np.maximum.reduceat(matrix, firsts, axis=0)

    def _predict_pieces(self, pieces: list[str]) -> np.ndarray:
        # Not features.transform: it cuts at max_chars characters, while a window's limit is on
        # its mapped length (5,000 zero-width spaces map to nothing and fit in one window).
        return pooled_scores(self.features, self.heads, pieces, self.pooling, self.floors)

    def score(self, texts: Sequence[str]) -> list[dict[str, float]]:
        matrix = self.predict_matrix(texts)
        return [dict(zip(ATTRIBUTES, map(float, row))) for row in matrix]

    def explanation_windows(
        self, text: str, attributes: Sequence[str], budget: int | None = None
    ) -> list[tuple[int, int]]:
        """The windows `explain` reads: for each attribute the window that scored it highest, best
        first, as many as fit in `budget` mapped characters (default `explain_budget`)."""
        budget = self.explain_budget if budget is None else budget
        spans = self.windows(text)
        if len(spans) == 1:
            return spans if mapped_length(text) <= budget else []
        matrix = self._predict_pieces([text[a:b] for a, b in spans])
        columns = [ATTRIBUTES.index(a) for a in attributes]
        best = sorted({int(np.argmax(matrix[:, j])) for j in columns}, key=lambda k: -matrix[k, columns].max())
        chosen: list[tuple[int, int]] = []
        spent = 0
        for k in best:
            a, b = spans[k]
            cost = mapped_length(text[a:b])
            if spent + cost <= budget:
                chosen.append((a, b))
                spent += cost
        return chosen

    def explain(
        self,
        text: str,
        attributes: Sequence[str] | None = None,
        top_k: int = 5,
        budget: int | None = None,
        **thresholds: float,
    ) -> dict[str, list[dict[str, Any]]]:
        """Spans that raised each score, as offsets into `text`; `min_share` / `min_log_odds` tune
        which small ones are left out. Past `budget` mapped characters, attributes get fewer
        spans or none, never an error."""
        wanted = tuple(attributes) if attributes is not None else self.attributes
        unknown = [a for a in wanted if a not in ATTRIBUTES]
        if unknown:
            raise ValueError(f"unknown attributes: {unknown}")
        result: dict[str, list[dict[str, Any]]] = {a: [] for a in wanted}
        best: dict[str, float] = {}
        for a, b in self.explanation_windows(text, wanted, budget):
            # Where a floor supplied a score, its head's words are the reason: "jews" in "the holocaust
            # never happened, jews made it up" is neutralised in the toxicity head, not in the other.
            raised = {} if self.floors is None or not self.floors.applies_to(wanted) else self.floors.raised_by(
                pooled_scores(self.features, self.heads, [text[a:b]], self.pooling)[0])
            found = explain_text(self.features, self.heads, text[a:b], wanted, top_k, explain_with=raised, **thresholds)
            for attribute, spans in found.items():
                # Each attribute keeps the spans of the window that raised it most.
                top = spans[0]["score"] if spans else float("-inf")
                if spans and top > best.get(attribute, float("-inf")):
                    best[attribute] = top
                    result[attribute] = [dict(s, begin=s["begin"] + a, end=s["end"] + a) for s in spans]
        return result
