"""Reading the shared labelled CSVs without ever turning an unknown label into a 0."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from classifiers.attributes import ATTRIBUTES
from classifiers.errors import DataError


@dataclass
class LabelledData:
    """Texts with a (n_texts, len(ATTRIBUTES)) float label matrix; NaN means unknown."""

    texts: list[str]
    labels: np.ndarray
    sources: list[str]
    extra: dict[str, list[str]] = field(default_factory=dict)
    path: Path | None = None

    def __len__(self) -> int:
        return len(self.texts)

    def subset(self, index: np.ndarray) -> "LabelledData":
        idx = [int(i) for i in index]
        return LabelledData(
            texts=[self.texts[i] for i in idx],
            labels=self.labels[idx],
            sources=[self.sources[i] for i in idx],
            extra={k: [v[i] for i in idx] for k, v in self.extra.items()},
            path=self.path,
        )


def _parse_label(cell: str | None) -> float:
    cell = (cell or "").strip()
    if cell == "":
        return np.nan
    try:
        value = float(cell)
    except ValueError:
        value = np.nan
    if value not in (0.0, 1.0):
        raise ValueError(f"label must be 0, 1 or empty, got {cell[:40]!r}")
    return value


def _labels(record: dict[str, str | None], path: Path, line: int) -> list[float]:
    row = []
    for attribute in ATTRIBUTES:
        try:
            row.append(_parse_label(record.get(attribute)))
        except ValueError as error:
            raise DataError(f"{path}, line {line}, column {attribute!r}: {error}") from None
    return row


def read_labelled_csv(path: str | Path) -> LabelledData:
    """Read one CSV of the shared schema; missing label columns and empty cells become NaN."""
    path = Path(path)
    try:
        return _read(path)
    except UnicodeDecodeError as error:
        raise DataError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None


def _read(path: Path) -> LabelledData:
    texts: list[str] = []
    rows: list[list[float]] = []
    sources: list[str] = []
    extra: dict[str, list[str]] = {}
    # utf-8-sig: Excel's UTF-8 starts with a byte-order mark, which read as part of "text" (a re-check).
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise DataError(f"{path}: no 'text' column")
        extra_columns = [
            c for c in reader.fieldnames if c not in ATTRIBUTES and c not in ("text", "source")
        ]
        extra = {c: [] for c in extra_columns}
        for record in reader:
            texts.append(record["text"] or "")
            rows.append(_labels(record, path, reader.line_num))
            sources.append(record.get("source") or path.stem)
            for c in extra_columns:
                extra[c].append(record.get(c) or "")
    labels = np.array(rows, dtype=np.float64).reshape(len(texts), len(ATTRIBUTES))
    return LabelledData(texts=texts, labels=labels, sources=sources, extra=extra, path=path)


def concat(parts: Iterable[LabelledData]) -> LabelledData:
    parts = list(parts)
    return LabelledData(
        texts=[t for p in parts for t in p.texts],
        labels=np.vstack([p.labels for p in parts]) if parts else np.empty((0, len(ATTRIBUTES))),
        sources=[s for p in parts for s in p.sources],
    )


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
