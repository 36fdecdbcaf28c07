"""Accounts changed by two admins at the same moment: there is always an admin left, and a name taken
at the same moment is a clear refusal, not a server error."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError

from moderation import db
from moderation.domain.errors import Conflict
from moderation.domain.users import create_user, disable_user, set_role
from moderation.models import User

PASSWORD = "a long and fresh passphrase"


def _in_second_session(app, work, started: threading.Event, outcome: dict) -> threading.Thread:
    """Run `work(session)` in a thread of its own once `started` is set; what it raised or "done" goes to `outcome`."""
    def run() -> None:
        with app.app_context():
            try:
                prepared = work.prepare(db.session)
                started.wait(30)
                work(db.session, prepared)
                db.session.commit()
                outcome["second"] = "done"
            except Exception as error:  # reported by the test's assertions
                db.session.rollback()
                outcome["second"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


class _Demote:
    def __init__(self, user_id: int, how: str) -> None:
        self.user_id, self.how = user_id, how

    def prepare(self, session):
        return session.get(User, self.user_id)  # read before the first admin's change is committed

    def __call__(self, session, user) -> None:
        if self.how == "role":
            set_role(session, user, "moderator", actor="user:bea")
        else:
            disable_user(session, user, actor="user:bea")


@pytest.mark.parametrize("first, second", [("role", "role"), ("disable", "disable"), ("role", "disable")])
def test_two_admins_taking_each_others_rights_at_once_leave_one_admin(app, admin, first, second):
    with app.app_context():
        bea = create_user(db.session, "bea", PASSWORD, "admin")
        db.session.commit()
        bea_id = bea.id
    started, outcome = threading.Event(), {}
    thread = _in_second_session(app, _Demote(admin.id, second), started, outcome)
    with app.app_context():
        _Demote(bea_id, first)(db.session, db.session.get(User, bea_id))  # holds the admins' rows
        started.set()
        time.sleep(0.5)  # the second admin's change now waits for this one
        db.session.commit()
    thread.join(30)

    assert isinstance(outcome["second"], Conflict) and "ada is the last active admin" in outcome["second"].message
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


class _Create:
    def prepare(self, session):
        return None

    def __call__(self, session, _) -> None:
        create_user(session, "twin", PASSWORD, "moderator")


def test_a_name_taken_by_another_admin_at_the_same_moment_is_a_conflict(app):
    started, outcome = threading.Event(), {}
    thread = _in_second_session(app, _Create(), started, outcome)
    with app.app_context():
        create_user(db.session, "twin", PASSWORD, "moderator")  # not committed: the second insert waits on it
        started.set()
        time.sleep(0.5)
        db.session.commit()
    thread.join(30)

    assert isinstance(outcome["second"], Conflict) and "exists already" in outcome["second"].message
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["twin"]


def test_a_database_error_does_not_carry_the_statements_values(app, admin):
    with app.app_context():
        with pytest.raises(DBAPIError) as error:
            db.session.execute(insert(User).values(username="ada", password_hash="$argon2id$secret-hash", role="admin"))
        db.session.rollback()
    assert "secret-hash" not in str(error.value)


class _CreateCapital:
    def prepare(self, session):
        return None

    def __call__(self, session, _) -> None:
        create_user(session, "Twin", PASSWORD, "moderator")


def test_names_that_differ_by_case_added_at_the_same_moment_make_one_user(app):
    started, outcome = threading.Event(), {}
    thread = _in_second_session(app, _CreateCapital(), started, outcome)
    with app.app_context():
        create_user(db.session, "twin", PASSWORD, "moderator")  # holds the new-names lock until committed
        started.set()
        time.sleep(0.5)
        db.session.commit()
    thread.join(30)

    assert isinstance(outcome["second"], Conflict) and "exists already" in outcome["second"].message
    with app.app_context():
        assert db.session.scalars(select(User.username)).all() == ["twin"]


def test_a_site_added_twice_at_the_same_moment_is_a_conflict_not_a_server_error(app):
    from moderation.domain.sites import create_site
    from moderation.models import Site

    class _Site:
        def prepare(self, session):
            return None

        def __call__(self, session, _) -> None:
            create_site(session, "Race-Site")

    started, outcome = threading.Event(), {}
    thread = _in_second_session(app, _Site(), started, outcome)
    with app.app_context():
        create_site(db.session, "race-site")
        started.set()
        time.sleep(0.5)
        db.session.commit()
    thread.join(30)

    assert isinstance(outcome["second"], Conflict) and "exists already" in outcome["second"].message
    with app.app_context():
        assert db.session.scalars(select(Site.name)).all() == ["race-site"]
