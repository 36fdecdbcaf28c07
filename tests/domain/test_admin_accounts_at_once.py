"""Accounts changed by two admins at the same moment: there is always an admin left, and a name taken
at the same moment is a clear refusal, not a server error."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from moderation import db
from moderation.domain.errors import Conflict
from moderation.domain.sites import create_site
from moderation.domain.users import create_user, disable_user, set_role
from moderation.models import Site, User

PASSWORD = "a long and fresh passphrase"

Work = Callable[[Session], None]


def _race(app, first: Work, second: Work) -> object:
    """`first` in one session, left uncommitted (holding whatever it locked) while `second` runs in
    another thread's session, then committed. Returns what `second` raised, or "done"."""
    started, outcome = threading.Event(), {}

    def run_second() -> None:
        with app.app_context():
            try:
                started.wait(30)
                second(db.session)
                db.session.commit()
                outcome["second"] = "done"
            except Exception as error:  # reported by the test's assertions
                db.session.rollback()
                outcome["second"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run_second)
    thread.start()
    with app.app_context():
        first(db.session)
        started.set()
        time.sleep(0.5)  # the second change now waits for this one, if anything makes it wait
        db.session.commit()
    thread.join(30)
    return outcome["second"]


def _take_rights(user_id: int, how: str) -> Work:
    def work(session: Session) -> None:
        user = session.get(User, user_id)
        if how == "role":
            set_role(session, user, "moderator", actor="user:other")
        else:
            disable_user(session, user, actor="user:other")

    return work


def _conflict(outcome: object, words: str) -> bool:
    return isinstance(outcome, Conflict) and words in outcome.message


@pytest.mark.parametrize("first, second", [("role", "role"), ("disable", "disable"), ("role", "disable")])
def test_two_admins_taking_each_others_rights_at_once_leave_one_admin(app, admin, first, second):
    with app.app_context():
        bea = create_user(db.session, "bea", PASSWORD, "admin")
        db.session.commit()
        bea_id = bea.id

    outcome = _race(app, _take_rights(bea_id, first), _take_rights(admin.id, second))

    assert _conflict(outcome, "ada is the last active admin")
    with app.app_context():
        admins = db.session.scalars(select(User.username).where(User.role == "admin", User.active.is_(True))).all()
    assert admins == ["ada"]


def test_the_last_admin_cannot_be_demoted_or_disabled_from_the_shell_either(app, admin):
    with app.app_context():
        ada = db.session.get(User, admin.id)
        for change in (lambda: set_role(db.session, ada, "moderator", actor="cli:root"),
                       lambda: disable_user(db.session, ada, actor="cli:root")):
            with pytest.raises(Conflict, match="last active admin"):
                change()
            db.session.rollback()


@pytest.mark.parametrize("second_name", ["twin", "Twin"])
def test_a_name_taken_by_another_admin_at_the_same_moment_is_a_conflict(app, second_name):
    outcome = _race(app, lambda session: create_user(session, "twin", PASSWORD, "moderator"),
                    lambda session: create_user(session, second_name, PASSWORD, "moderator"))

    assert _conflict(outcome, "exists already")
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["twin"]


def test_a_site_added_twice_at_the_same_moment_is_a_conflict_not_a_server_error(app):
    outcome = _race(app, lambda session: create_site(session, "race-site"),
                    lambda session: create_site(session, "Race-Site"))

    assert _conflict(outcome, "exists already")
    with app.app_context():
        assert db.session.scalars(select(Site.name)).all() == ["race-site"]


def test_a_database_error_does_not_carry_the_statements_values(app, admin):
    with app.app_context():
        with pytest.raises(DBAPIError) as error:
            db.session.execute(insert(User).values(username="ada", password_hash="$argon2id$secret-hash", role="admin"))
        db.session.rollback()
    assert "secret-hash" not in str(error.value)
