"""What admins and users do to accounts beyond a single field: an admin makes an account with the
sites it moderates in one step, or a site with its key and starter rules, and a user changes their
own password.

Each is all or nothing: the caller commits once, so a refused site or a taken name leaves no user,
membership, site or rule behind.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from moderation.domain.errors import ValidationFailed
from moderation.domain.lifecycle import PRE_MODERATION
from moderation.domain.membership import grant
from moderation.domain.rule_sets import STARTER_RULES, save_rules, starter_rules
from moderation.domain.signin import SignInGuard, check_password, lift_lockout
from moderation.domain.sites import NewSite, create_site
from moderation.domain.status import audit
from moderation.domain.users import create_user, set_password
from moderation.models import DEFAULT_REPORT_THRESHOLD, User


def add_account(session: Session, username: str, password: str, role: str, *, site_ids: Iterable[int] = (),
                actor: str) -> User:
    """A new user, audited, and for a moderator a member of each of `site_ids`. An admin sees every
    site already, so sites named for one are refused rather than dropped unsaid. The caller commits."""
    sites = sorted(set(site_ids))
    if sites and role == "admin":
        raise ValidationFailed("an admin sees every site already: pick sites for a moderator or a site admin only", field="sites")
    user = create_user(session, username, password, role)
    audit(session, actor, "user:created", user=user.username, role=role)
    for site_id in sites:
        grant(session, user.username, site_id, actor=actor)
    return user


def change_own_password(session: Session, user: User, current: str, new: str, confirm: str, *,
                        guard: SignInGuard, address: str | None) -> None:
    """The signed-in user's new password, once they have given their current one. A wrong current
    password counts towards the same lockout as a wrong one at sign-in, so a borrowed session cannot
    be used to guess it. Their other sessions end; the caller keeps this one (it knows the new
    generation). The caller commits."""
    if not current:
        raise ValidationFailed("type your current password", field="current_password")
    if new != confirm:
        raise ValidationFailed("the new password and its repetition differ", field="confirm_password")
    if check_password(session, user.username, current, guard=guard, address=address) is None:
        raise ValidationFailed("that is not your current password", field="current_password")
    if new == current:
        raise ValidationFailed("the new password is the one you have", field="password")
    set_password(session, user, new, actor=f"user:{user.username}")


def give_new_password(session: Session, user: User, password: str, *, actor: str, guard: SignInGuard) -> bool:
    """An admin's new password for someone else (the accounts page, `users reset-password`): set and
    committed, their sessions ended, then their sign-in lockout lifted, since a forgotten password is
    how users lock themselves out and the new one should work at once. False when the lockout could
    not be lifted (Redis unreachable); ValidationFailed, with nothing changed, for a weak password."""
    set_password(session, user, password, actor=actor)
    session.commit()
    return lift_lockout(guard, user.username)


def add_site(session: Session, name: str, *, webhook_url: str | None = None, moderation_mode: str = PRE_MODERATION,
             report_threshold: float = DEFAULT_REPORT_THRESHOLD, starter: bool = True, actor: str) -> NewSite:
    """A new site with its API key and webhook secret (the caller shows them once), audited, with the
    starter rules unless `starter` is off. The caller commits."""
    new = create_site(session, name, webhook_url=webhook_url or None, moderation_mode=moderation_mode,
                      report_threshold=report_threshold)
    # The starter kinds this release offered, taken or not: a later release's hints name a site only
    # for the kinds it was never offered (moderation/upgrade_hints.py).
    audit(session, actor, "site:created", site_id=new.site.id, site=new.site.name, moderation_mode=moderation_mode,
          report_threshold=report_threshold, webhook_url=webhook_url or None, rules="starter" if starter else "none",
          starter_kinds_offered=[rule["kind"] for rule in STARTER_RULES])
    save_rules(session, new.site, starter_rules() if starter else [], actor=actor)
    return new
