"""The private calendar feed: its secret address."""

from members.models import User

from ..models import (
    CalendarFeed,
    new_feed_token,
)

# The private calendar feed


def feed_for(*, actor: User) -> CalendarFeed:
    """The person's private calendar feed, created the first time they ask."""
    feed, _created = CalendarFeed.objects.get_or_create(user=actor)
    return feed


def feed_revoke(*, actor: User, ip: str | None = None) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed = feed_for(actor=actor)
    feed.token = new_feed_token()
    feed.save(update_fields=["token", "created_at"])
    return feed
