"""Sessions read from the cache and written to both cache and database (SESSION_ENGINE
"krets.sessions" with Redis): one Redis read per request instead of a query.

Django's cached_db trusts the cache's own expiry for a session found there; this store also
checks the idle limit against the session's last renewal (krets.middleware stamps it at most
once a minute, when it saves the session with a new expiry), so the limit does not depend on
Redis's clock and holds to within that minute as before.

End a session through its store (`session_end`), never by deleting the row alone, or the copy
in the cache would go on working.
"""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends import cached_db

SESSION_RENEWED_KEY = "_krets_renewed"


class SessionStore(cached_db.SessionStore):
    def load(self):
        data = super().load()
        renewed = data.get(SESSION_RENEWED_KEY)
        if renewed is not None and time.time() - renewed > settings.SESSION_COOKIE_AGE:
            self._session_key = None  # as Django's database store does with an expired row
            return {}
        return data


def session_end(session_key: str) -> None:
    import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key).delete()
