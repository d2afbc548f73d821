"""Ending a session: through the session engine's store, so that a copy kept in the cache
(SESSION_ENGINE cached_db) ends with the database row."""

from importlib import import_module

from django.conf import settings


def session_end(session_key: str) -> None:
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()
