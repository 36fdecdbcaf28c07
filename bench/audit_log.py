"""The audit log at a busy site's size: each lookup of a rare action (a promotion, a rollback, what a
release told) timed with the (action, id) index and without it, side by side in one process.

    .venv/bin/python bench/audit_log.py                      # 3,000,000 entries in a temporary database
    .venv/bin/python bench/audit_log.py --rows 10000000 --var-dir /tmp/audit-bench   # kept for a later run

Entries are status changes, as scoring and decisions write them (about three a comment: 3 million is
two months at 3,000 comments an hour), plus a few promotions and rollbacks. Without the index a lookup
reads the whole log; the index is dropped for those runs and built again, so both run on the same rows.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlalchemy import create_engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from moderation import upgrade_hints  # noqa: E402
from moderation.domain import model_registry  # noqa: E402
from moderation.domain.assignment_changes import last_changes  # noqa: E402
from moderation.domain.erasure import erase_everywhere  # noqa: E402
from moderation.domain.lifecycle import now  # noqa: E402
from moderation.embedded import embedded_servers  # noqa: E402
from moderation.models import ModelVersion  # noqa: E402

INDEX = "ix_audit_log_action"
INSERT_ONE = """INSERT INTO audit_log (actor, action, details)
VALUES ('system:scorer', 'status:pending->published', '{"site_id": 3, "version": "v2"}')"""
SEED = """
INSERT INTO audit_log (at, actor, action, details)
SELECT now() - make_interval(secs => i), 'system:scorer',
       (ARRAY['status:pending->published', 'status:pending->held', 'status:held->approved',
              'status:held->rejected', 'status:published->rejected'])[1 + mod(i, 5)],
       jsonb_build_object('site_id', mod(i, 20), 'version', '2026.12.06-fb101539',
                          'scores', jsonb_build_object('toxicity', 0.12, 'insult', 0.04))
FROM generate_series(1, %(rows)s) AS i
"""
RARE = """
INSERT INTO audit_log (actor, action, details) VALUES
 ('user:dana', 'model:promoted', '{"site_id": 3, "site": "terraces", "version": "v2"}'),
 ('cli:root', 'model:rolled_back', '{"site_id": 3, "site": "terraces", "version": "v1", "rolled_back": "v2"}'),
 ('user:dana', 'model:promoted', '{"site_id": null, "version": "v2"}')
"""


def _seed(engine, rows: int) -> int:  # noqa: ANN001 - an Engine
    with engine.begin() as conn:
        have = conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar()
        if have < rows:
            started = time.perf_counter()
            print(f"seeding {rows - have:,} audit entries ...", flush=True)
            conn.exec_driver_sql(SEED, {"rows": rows - have})
            conn.exec_driver_sql(RARE)
            print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
        conn.exec_driver_sql("ANALYZE audit_log")
        return conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar()


def _set_index(engine, present: bool) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        if present:
            conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {INDEX} ON audit_log (action, id)")
        else:
            conn.exec_driver_sql(f"DROP INDEX IF EXISTS {INDEX}")
        conn.exec_driver_sql("ANALYZE audit_log")


def _lookups(engine) -> dict[str, Callable[[], object]]:  # noqa: ANN001
    card = ModelVersion(version="v2", sha256="0" * 64, status="active", card={})

    def with_session(read: Callable[[Session], object]) -> Callable[[], object]:
        def run() -> object:
            with Session(engine) as session:
                return read(session)
        return run

    def at_start() -> object:
        with engine.connect() as conn:
            return upgrade_hints._installed(conn)  # what `moderation up` reads before it says its hints

    def erasure(session: Session) -> object:
        try:  # a reader's DELETE at retention 0: each erasure finds the bulk decisions naming its comment
            return erase_everywhere(session, [987_654_321], at=now())
        finally:
            session.rollback()

    def insert() -> object:  # what every comment scored and every decision pays
        with engine.begin() as conn:
            return conn.exec_driver_sql(INSERT_ONE)

    return {
        "Models page: who promoted (last_changes)": with_session(last_changes),
        "an erasure: bulk decisions naming it": with_session(erasure),
        "an entry written (one a transaction)": insert,
        "version card: its history": with_session(lambda s: model_registry.version_history(s, card)),
        "`moderation up`: hints already told": at_start,
    }


def _time(run: Callable[[], object], repeats: int) -> list[float]:
    run()  # the first read warms the cache for both, alike
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=3_000_000, help="status-change entries to seed (default 3,000,000)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per lookup and index state")
    parser.add_argument("--var-dir", type=Path, help="keep the database here and reuse it (default: a temporary one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as scratch:
        var_dir = args.var_dir or Path(scratch)
        with embedded_servers(var_dir) as (database_url, _redis_url):
            engine = create_engine(database_url)
            total = _seed(engine, args.rows)
            results: dict[tuple[str, bool], list[float]] = {}
            for present in (False, True, False, True):  # alternated, so machine noise hits both alike
                _set_index(engine, present)
                for name, run in _lookups(engine).items():
                    results.setdefault((name, present), []).extend(_time(run, args.repeats))
            _set_index(engine, True)  # as the migrations leave it
            engine.dispose()
    names = list(dict.fromkeys(name for name, _ in results))
    print(f"\naudit log of {total:,} entries; median (max) ms of {2 * args.repeats} runs each")
    print(f"{'lookup':44} {'no index':>16} {'(action, id) index':>20}")  # the insert row: ms too
    for name in names:
        cells = []
        for present in (False, True):
            times = results[(name, present)]
            cells.append(f"{statistics.median(times):8.1f} ({max(times):6.1f})")
        print(f"{name:44} {cells[0]:>16} {cells[1]:>20}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
