"""What the workspace browser tests share: a realistic site to look at, signing in, and every page
the review and admin blueprints serve (from the URL map, so a new page is checked without anyone
remembering to add it)."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import select

from moderation import db
from moderation.domain.bulk import bulk_decide
from moderation.domain.decisions import decide
from moderation.domain.sanctions import sanction_author
from moderation.domain.undo import undo_decision
from moderation.models import Comment, ModelVersion, Report, Site, User

TEXTS = [
    "Anyone who voted for this bridge is a complete moron and should be ashamed.",
    "The council hid the real cost of the bridge; read page 12 of the budget.",
    "Go back to where you came from, nobody wants your kind in this town.",
    "Spam spam spam: cheap watches at example dot com, click now!!!",
    "I disagree with the editorial, but the numbers on traffic are honest.",
]


def keys_settled(page) -> None:
    """Wait until a freshly arrived review page takes the keys that decide (static/keyboard.js holds
    them back a moment, so a key pressed twice does not decide the next card unseen)."""
    page.wait_for_selector("body[data-keys-settled]", state="attached")


def held_comment(app, site_id: int, n: int, *, author_id: str = "u1", text: str | None = None,
                 external_id: str | None = None, parent_id: str | None = None) -> int:
    """A scored, flagged comment waiting in the queue, like the worker leaves one, with a report."""
    text = text or TEXTS[n % len(TEXTS)]
    word = max(text.split(), key=len)  # the "flagged" word the card highlights
    begin = text.index(word)
    with app.app_context():
        comment = Comment(
            site_id=site_id, external_id=external_id or f"c-{n}", parent_id=parent_id, story_id="bridge", story_title="Council approves new bridge",
            story_url="https://daily-planet.example/bridge", author_id=author_id, author_name=f"Reader {author_id}",
            text=text, body_hash=hashlib.sha256(text.encode()).hexdigest(), status="held",
            scores={"toxicity": 0.93, "insult": 0.89, "identity_attack": 0.04},
            flagged=["toxicity", "insult"],
            explanations={"insult": [{"begin": begin, "end": begin + len(word), "score": 0.81}]},
            model_version="civility-test", report_weight=2.0, priority=2.0 - n / 100,  # the queue shows them in n order
        )
        comment.reports.append(Report(reason="harassment", reporter_id=f"reader-{n}", note="rude to everyone",
                                      weight=2.0, weight_reason="harassment weighs 2"))
        db.session.add(comment)
        db.session.commit()
        return comment.id


def seed_workspace(app, site_id: int, admin_id: int) -> dict[str, list]:
    """Held comments, one decided (so there is history), an author under a sanction: every page has
    its tables, forms and badges to check. Returns the URL arguments for `pages`."""
    ids = [held_comment(app, site_id, n, author_id=f"u{n % 2}") for n in range(3)]
    with app.app_context():
        admin = db.session.get(User, admin_id)
        decided = db.session.get(Comment, ids[2])
        decide(db.session, decided.id, user=admin, action="reject", reason="Off topic", expected_version=decided.version)
        sanction_author(db.session, db.session.get(Site, site_id), "u1", "premoderate", "insults readers", admin)
        # A story in storm mode, so the queue shows its banner (domain/storms.py).
        from moderation.models import StoryStorm

        at = decided.received_at
        db.session.add(StoryStorm(site_id=site_id, story_id="story-1", started_at=at, last_stormy_at=at,
                                  trigger="130 comments in the last minute (limit 100)"))
        db.session.commit()
        app.extensions["models"].refresh(force=True)  # the registry's first version: the shipped model
        version_id = db.session.scalar(select(ModelVersion.id))
        # A bulk result page: one approved, and the decided one skipped as taken already.
        first = db.session.get(Comment, ids[0])
        bulk = bulk_decide(db.session, [(first.id, first.version), (decided.id, 1)], user=admin, action="approve",
                           reason=None)
        undo_decision(db.session, first.id, user=admin, expected_version=bulk.versions[first.id],
                      window=timedelta(minutes=10))
    return {"comment_id": ids, "site_id": [site_id], "author_id": ["u1"], "version_id": [version_id],
            "job_id": [finished_backtest(app, site_id)], "entry_id": [bulk.entry_id]}


class ConstantModel:
    """Scores every text the same: a backtest of one against another moves every decided comment."""

    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def __init__(self, version: str, value: float) -> None:
        self.version, self.value = version, value

    def score(self, texts: list[str]) -> list[dict[str, float]]:
        return [{"toxicity": self.value} for _ in texts]


def finished_backtest(app, site_id: int) -> str:
    """A backtest job of the site's decided comments, finished in this process: its page has
    plots, the metrics table and the decided comments' texts as examples."""
    from moderation.domain.backtest_jobs import create_job, run_job
    from moderation.redis_client import redis_client

    models = {"candidate-9": ConstantModel("candidate-9", 0.9), "active-1": ConstantModel("active-1", 0.1)}
    with app.app_context():
        # The app's broker timeout, as its own job store has (admin/backtest.py): 5 s in tests,
        # where 1 s let a Redis a busy machine held up fail the page tests before they began.
        store = redis_client(app.config["REDIS_URL"], timeout=app.config["BROKER_TIMEOUT"])
        job_id = create_job(store, site_id=site_id, candidate="candidate-9", active="active-1", limit=100, by="test")
        run_job(db.session, store, job_id, load=models.get)
    return job_id


# GET endpoints that are not pages: what a page's script fetches (JSON, an HTML fragment).
NOT_PAGES = {"review.updates", "review.card_state", "review.session_state", "review.precedent",  # JSON
             "admin.rescore_held_status",
             "admin.shadow_plot", "admin.drift_plot", "admin.version_effect_plot",  # PNG plots
             "admin.decisions_csv", "admin.audit_csv",  # downloads
             "admin.training_status", "admin.accounts_form_address", "review.password_form_address"}  # + redirects


def pages(app, args: dict[str, list]) -> list[str]:
    """Every GET page of the review and admin blueprints, each URL argument taking its first value."""
    urls = app.url_map.bind("localhost")
    found = set()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint.split(".")[0] not in ("review", "admin") or rule.rule == "/":
            continue
        if rule.endpoint in NOT_PAGES:
            continue
        unknown = set(rule.arguments) - set(args)
        assert not unknown, f"{rule.rule}: tell tests/browser/workspace_pages.py which objects to show for {sorted(unknown)}"
        found.add(urls.build(rule.endpoint, {name: args[name][0] for name in rule.arguments}))
    return sorted(found)


def sign_in(page, live_server: str, user) -> None:
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server}/review")
