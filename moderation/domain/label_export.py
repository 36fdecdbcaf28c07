"""A site's own labels as a CSV of the shared training schema (text, six labels, source).

One row per decided comment, labelled by its final decision: the decision's labels, with the
labels of the reports it resolved filling in attributes the decision left unknown. Each
suggestscore call is a row of its own, but only the last of those with one `clientToken` (Coral
sends `comment:<id>`): a comment deleted and then restored is an approval, not both. Rows that know no attribute (a comment rejected as spam)
are left out. The source column is `site:<name>`, which classifiers/sources.py knows as the
site's own data.
"""
from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from classifiers.attributes import ATTRIBUTES
from classifiers.sources import OWN_SOURCE_PREFIX, is_own_source
from moderation.domain.errors import Conflict, NotFound
from moderation.domain.labels import DECISION, IMPORTED, REPORT_OUTCOME, SUGGESTSCORE
from moderation.domain.reason_labels import suggested_labels
from moderation.models import LabelledExample, Site
from moderation.private_files import open_private

COLUMNS: tuple[str, ...] = ("text", *ATTRIBUTES, "source")
ProgressCallback = Callable[[int, int], None]


class ExportNotAllowed(Conflict):
    code = "export_not_allowed"


@dataclass
class ExportSummary:
    path: Path
    rows: int = 0
    examples: int = 0
    without_labels: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    toxic: int = 0  # rows whose toxicity is 1, and 0: a queue holds mostly what the model held
    civil: int = 0


# Fewer approved (or rejected) comments than this, and a site's labels are one-sided: a precision
# over them is a guess, and a model trained on them learns little of what the site accepts.
FEW_OF_A_KIND = 10


def one_sided(toxic: int, civil: int) -> str | None:
    """Which there are too few of, "approved" or "rejected"; None when there are enough of both."""
    if min(toxic, civil) >= FEW_OF_A_KIND:
        return None
    return "approved" if civil < toxic else "rejected"


def source_name(site: Site) -> str:
    return f"{OWN_SOURCE_PREFIX}{site.name}"


def sites_learnt_from(card: dict[str, Any] | None) -> set[str]:
    """The names of the sites whose own labels a model card says it was trained on."""
    own = ((card or {}).get("training_data") or {}).get("own_labels") or {}
    return {source.removeprefix(OWN_SOURCE_PREFIX) for source in own if is_own_source(source)}


def find_site(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(Site.name == name))
    if site is None:
        raise NotFound(f"no such site: {name}")
    return site


def export_site_labels(session: Session, site: Site, out: str | Path, *, since: datetime | None = None,
                       for_training: bool = False, on_progress: ProgressCallback | None = None) -> ExportSummary:
    """Write the site's labels from `since` on to `out`. Refuses (ExportNotAllowed) unless the site's
    admin allowed text export; `for_training` is the service's own temporary copy for `train --site`,
    which never leaves the server (the trained artifact holds hashed features, no text)."""
    if not site.allow_text_export and not for_training:
        raise ExportNotAllowed(
            f"site {site.name!r} does not allow exporting comment text; an admin can turn on "
            f"\"Allow exporting comment text\" on its settings page (/admin/sites/{site.id})")
    query = select(LabelledExample).where(LabelledExample.site_id == site.id)
    if since is not None:
        query = query.where(LabelledExample.created_at >= since)
    query = query.where(_not_superseded(site))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    summary = ExportSummary(path=Path(out))
    source = source_name(site)
    with open_private(out, encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")  # as the shared data's files end their lines
        writer.writerow(COLUMNS)
        examples = session.scalars(
            query.order_by(LabelledExample.comment_id.nulls_last(), LabelledExample.id).execution_options(yield_per=2000)
        )
        for group in _groups(examples, summary, total, on_progress):
            text, labels = _merged(group)
            if not labels:
                summary.without_labels += 1
                continue
            writer.writerow([text, *(labels.get(a, "") for a in ATTRIBUTES), source])
            summary.rows += 1
            summary.toxic += labels.get("toxicity") == 1
            summary.civil += labels.get("toxicity") == 0
    return summary


def _not_superseded(site: Site) -> ColumnElement[bool]:
    """Leaves out suggestscore calls that a later call with the same clientToken replaced."""
    suggested = LabelledExample.kind == SUGGESTSCORE
    latest = (select(func.max(LabelledExample.id))
              .where(LabelledExample.site_id == site.id, suggested, LabelledExample.client_token.is_not(None))
              .group_by(LabelledExample.client_token))
    return or_(~suggested, LabelledExample.client_token.is_(None), LabelledExample.id.in_(latest))


def _groups(examples, summary: ExportSummary, total: int,
            on_progress: ProgressCallback | None) -> Iterator[list[LabelledExample]]:
    """The examples of one comment together (the query sorts by comment), suggestscore ones alone."""
    group: list[LabelledExample] = []
    for example in examples:
        summary.examples += 1
        summary.by_kind[example.kind] = summary.by_kind.get(example.kind, 0) + 1
        if group and (example.comment_id is None or example.comment_id != group[0].comment_id):
            yield group
            group = []
        group.append(example)
        if on_progress is not None and (summary.examples % 500 == 0 or summary.examples == total):
            on_progress(summary.examples, total)
    if group:
        yield group


def _merged(group: list[LabelledExample]) -> tuple[str, dict[str, int]]:
    first = group[0]
    if first.kind == SUGGESTSCORE:
        return first.text, suggested_labels(first.labels)
    # Only the comment's final decision counts: a comment approved, reported again and then
    # rejected keeps the rejection's labels. Rows from before provenance have no decided_at.
    latest = max((e.decided_at for e in group if e.decided_at is not None), default=None)
    if latest is None:
        final = [max((e for e in group if e.kind == DECISION), key=lambda e: e.id, default=group[-1])]
    else:
        final = [e for e in group if e.decided_at == latest]
    labels: dict[str, int] = {}
    for kind in (DECISION, REPORT_OUTCOME, IMPORTED):  # an import's decision is the site's too
        for example in final:
            if example.kind == kind:
                for name, value in example.labels.items():
                    if name in ATTRIBUTES and value in (0, 1):
                        labels.setdefault(name, int(value))
    return final[0].text, labels
