"""Which sites a user works: moderators see, search and decide only their sites' comments.

`visible_site_ids` is the one scoping rule; the queue, the detail page and decisions all ask it,
so a new page that shows comments gets the same answer instead of its own copy of the rule.
Admins see every site (None); a moderator sees the active sites they are a member of. A site admin
sees theirs as a moderator does and administers them too (`administers`): a newspaper group's
weekly has its own editor, who must not open the daily's settings.
"""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.status import audit
from moderation.domain.users import find_user
from moderation.models import Comment, ReviewClaim, Site, SiteMember, User


# Who can be a member of a site: an admin sees every site already.
MEMBER_ROLES = ("moderator", "site_admin")


def visible_site_ids(session: Session, user: User) -> set[int] | None:
    """The ids of the active sites whose comments `user` may see; None means every site (an admin's).
    A deactivated site's moderators lose its detail and author pages with its queue (a re-check)."""
    if user.role == "admin":
        return None
    return set(session.scalars(select(SiteMember.site_id).join(Site, Site.id == SiteMember.site_id)
                               .where(SiteMember.user_id == user.id, Site.active.is_(True))))


def can_see_site(session: Session, user: User, site_id: int) -> bool:
    visible = visible_site_ids(session, user)
    return visible is None or site_id in visible


def administers(session: Session, user: User, site_id: int) -> bool:
    """Whether `user` may change `site_id`'s settings, rules, thresholds and moderators, and reverse
    its decisions: an admin any site's, a site admin the active sites they are a member of."""
    return user.role == "admin" or (user.role == "site_admin" and site_id in visible_site_ids(session, user))


def administered_site_ids(session: Session, user: User) -> set[int] | None:
    """The ids of the sites `user` administers; None means every site (an admin's)."""
    if user.role == "admin":
        return None
    return visible_site_ids(session, user) if user.role == "site_admin" else set()


def visible_sites(session: Session, user: User) -> list[Site]:
    """The active sites `user` may filter the queue by, by name."""
    query = select(Site).where(Site.active.is_(True)).order_by(Site.name)
    visible = visible_site_ids(session, user)
    if visible is not None:
        query = query.where(Site.id.in_(visible))
    return list(session.scalars(query))


def members_of(session: Session, site_id: int) -> list[User]:
    return list(session.scalars(
        select(User).join(SiteMember, SiteMember.user_id == User.id)
        .where(SiteMember.site_id == site_id).order_by(User.username)
    ))


def site_names_by_member(session: Session) -> dict[int, list[str]]:
    """Each member's sites' names, by name, keyed by user id: the accounts page's Sites column."""
    names: dict[int, list[str]] = {}
    for user_id, name in session.execute(select(SiteMember.user_id, Site.name)
                                         .join(Site, Site.id == SiteMember.site_id).order_by(Site.name)):
        names.setdefault(user_id, []).append(name)
    return names


def _user_and_site(session: Session, username: str, site: str | int) -> tuple[User, Site]:
    user = find_user(session, username)
    if user is None:
        raise NotFound(f"there is no user {username.strip()!r}", field="username")
    found = session.get(Site, site) if isinstance(site, int) else session.scalar(select(Site).where(Site.name == site))
    if found is None:
        raise NotFound(f"there is no site {site!r}", field="site")
    return user, found


def grant(session: Session, username: str, site: str | int, *, actor: str) -> User:
    """Make `username` a member of `site` (its name or id), audited. The caller commits."""
    user, found = _user_and_site(session, username, site)
    if user.role == "admin":
        raise ValidationFailed(f"user {user.username} is an admin and sees every site already", field="username")
    if not user.active:
        raise ValidationFailed(f"user {user.username} is disabled: an admin enables them on the accounts page first", field="username")
    if session.get(SiteMember, (user.id, found.id)) is not None:
        raise Conflict(f"user {user.username} is a member of {found.name} already", field="username")
    session.add(SiteMember(user_id=user.id, site_id=found.id))
    audit(session, actor, "membership:granted", user=user.username, site_id=found.id, site=found.name)
    session.flush()
    return user


def revoke(session: Session, username: str, site: str | int, *, actor: str) -> User:
    """End `username`'s membership of `site`, audited. The caller commits."""
    user, found = _user_and_site(session, username, site)
    removed = session.execute(
        delete(SiteMember).where(SiteMember.user_id == user.id, SiteMember.site_id == found.id)
    ).rowcount
    if not removed:
        raise NotFound(f"user {user.username} is not a member of {found.name}", field="username")
    # Their claims on the site's comments end with it: a moderator removed mid-shift kept a card
    # from colleagues for the rest of its lease.
    session.execute(delete(ReviewClaim).where(
        ReviewClaim.user_id == user.id, ReviewClaim.comment_id.in_(select(Comment.id).where(Comment.site_id == found.id))))
    audit(session, actor, "membership:revoked", user=user.username, site_id=found.id, site=found.name)
    return user
