"""The thresholds page's count of held comments the model alone holds, at 43,000 held and 50 rules.

    .venv/bin/python bench/held_by_model.py --var-dir /tmp/hbench     # seed once, then measure

One site, 120,000 comments: 43,000 held on the model's flags (a third also carrying a rule's hit: a
flagging rule's 70 % of them, a holding rule's the rest), the rest published; 50 banned_words rules
in force (40 hold, 10 flag), saved over 20 versions (one renamed, one given more words on the way). Measured alternately on the same rows, the median of --runs:
any stored hold holding (one JSONB containment, the form before the rule-name fix, for scale), the
release before's form (an OR of one JSONB containment per rule name in force) and this one's
(model_alone.held_by_model_alone: each stored hit's words read again by the holding rules in force,
once per distinct word, then one SQL count), the query offer() sends on every render of the page.
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))

COMMENTS, HELD, RULES, SAVES = 120_000, 43_000, 50, 20
HOLDING = 40  # the first 40 rules hold, the other 10 only flag
WORDS = "the council budget bridge harbour festival city school road traffic idiot stupid thanks agree".split()


def _rules(save: int) -> list[dict]:
    rules = [{"name": f"list-{n}", "kind": "banned_words", "action": "hold" if n < HOLDING else "flag",
              "reason": "banned word", "words": [f"spamword{n}", f"cheap thing {n}"]} for n in range(RULES)]
    if save >= SAVES // 2:
        rules[0]["name"] = "list-zero"  # renamed half way: its holds before still hold
        rules[1]["words"] = ["spamword1", "cheap thing 1", "another"]
    return rules


def seed(url: str, rng: random.Random) -> None:
    import psycopg

    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        if cursor.execute("SELECT count(*) FROM comments").fetchone()[0]:
            return
        site = cursor.execute("INSERT INTO sites (name, key_id, key_hash, webhook_secret) "
                              "VALUES ('paper', 'k0', 'h', 'w') RETURNING id").fetchone()[0]
        start = datetime.now(timezone.utc) - timedelta(days=60)
        for save in range(SAVES):
            cursor.execute("INSERT INTO rule_sets (site_id, version, rules, created_by, created_at) "
                           "VALUES (%s, %s, %s, 'user:ada', %s)",
                           (site, save + 1, json.dumps(_rules(save)), start + timedelta(days=3 * save)))
        held_ids = set(rng.sample(range(1, COMMENTS + 1), HELD))
        rows = []
        for cid in range(1, COMMENTS + 1):
            received = start + timedelta(seconds=cid * 40)
            held = cid in held_ids
            hits = None
            if held and rng.random() < 1 / 3:
                flag = rng.random() < 0.7
                n = rng.randrange(HOLDING, RULES) if flag else rng.randrange(HOLDING)
                name = "list-zero" if n == 0 and received >= start + timedelta(days=3 * (SAVES // 2)) else f"list-{n}"
                hits = [{"rule": name, "action": "flag" if flag else "hold",
                         "reason": f"banned word: spamword{n}", "kind": "banned_words"}]
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30)))
            rows.append((site, f"c{cid}", f"s{cid % 3000}", f"a{cid % 20000}", text, "x", received,
                         "held" if held else "published", 2, received, json.dumps({"toxicity": 0.8}), "v1",
                         received, json.dumps(["toxicity"] if held else []), 1.2, 1.2,
                         json.dumps(hits) if hits else None))
        columns = ("site_id, external_id, story_id, author_id, text, body_hash, received_at, status, version, "
                   "status_changed_at, scores, model_version, scored_at, flagged, priority, scored_priority, rule_hits")
        with cursor.copy(f"COPY comments ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE comments")
    print(f"seeded {COMMENTS:,} comments, {HELD:,} held", file=sys.stderr)


def measure(url: str, runs: int) -> None:
    import tempfile

    from sqlalchemy import cast, func, literal, or_, select
    from sqlalchemy.dialects.postgresql import JSONB

    from moderation import db
    from moderation.app import create_app
    from moderation.config import Config
    from moderation.domain import model_alone
    from moderation.domain.rule_sets import current_rules
    from moderation.models import Comment, Site

    app = create_app(Config.from_env(DATABASE_URL=url, REDIS_URL="redis://127.0.0.1:9/0",
                                     VAR_DIR=Path(tempfile.gettempdir()), SECRET_KEY="bench-secret"))
    routers = ("story pre-moderated", "site holds every comment for review", "story_strict",
               "sanctioned_author_text", "too long to read")

    def before(session, site, attributes) -> tuple:  # noqa: ANN001 - the release before's form
        names = sorted({*routers, *(r["name"] for r in current_rules(session, site.id) if r.get("action") != "flag")})
        hits = func.coalesce(Comment.rule_hits, cast(literal("[]"), JSONB), type_=JSONB)
        held_by = or_(*(hits.contains(cast(literal(json.dumps([{"action": "hold", "rule": n}])), JSONB)) for n in names))
        return (Comment.site_id == site.id, Comment.status == "held", Comment.text_erased_at.is_(None),
                model_alone._model_alone(attributes), ~held_by)

    def any_hold(session, site, attributes) -> tuple:  # noqa: ANN001 - any stored hold holds, as before 0047's fix
        hits = func.coalesce(Comment.rule_hits, cast(literal("[]"), JSONB), type_=JSONB)
        return (Comment.site_id == site.id, Comment.status == "held", Comment.text_erased_at.is_(None),
                model_alone._model_alone(attributes), ~hits.contains(cast(literal('[{"action": "hold"}]'), JSONB)))

    with app.app_context():
        site = db.session.scalar(select(Site))
        forms = {"any hold": any_hold, "before": before, "now": model_alone.held_by_model_alone}
        times: dict[str, list[float]] = {name: [] for name in forms}
        counts = {}
        for i in range(runs):
            for name in (list(forms) if i % 2 else list(forms)[::-1]):
                began = time.perf_counter()
                counts[name] = db.session.execute(
                    select(func.count(), func.count().filter(Comment.model_version.is_distinct_from("v2")))
                    .where(*forms[name](db.session, site, ["toxicity"]))).one()
                times[name].append((time.perf_counter() - began) * 1000)
                db.session.rollback()
        for name in forms:
            print(f"{name}: held by the model alone {tuple(counts[name])}, median {statistics.median(times[name]):.0f} ms "
                  f"(of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--var-dir", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from moderation.embedded import start_postgres
    from moderation.migrate import upgrade

    args.var_dir.mkdir(parents=True, exist_ok=True)
    url = start_postgres(args.var_dir)
    upgrade(url)
    seed(url, random.Random(84))
    measure(url, args.runs)


if __name__ == "__main__":
    main()
