"""Pages of the profiles plugin that the benchmark loads (see bench/pages.py)."""

from sqlalchemy import select

from core.accounts.models import User


def bench_pages(dbsession):
    username = dbsession.scalar(
        select(User.username).where(User.status == "active", User.role == "member")
        .order_by(User.id.desc()).limit(1)
    )
    return [
        ("directory", "/members", False),
        ("directory-member", "/members?sort=active", True),
        ("directory-search", "/members?q=paris", True),
        ("profile", f"/members/{username}", False),
        ("profile-member", f"/members/{username}", True),
    ]
