"""Fixtures shared by the whole suite: one signed-in person per role.

More in tests/fixtures/ (each module is a plugin, below): among them `demo`, the demo chapter
loaded once per run and copied into each test that asks for it (tests/fixtures/demo.py); use it
instead of calling load_demo, which costs 5-10 s a test."""

import os
import pkgutil

import pytest
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from members.models import BoardFunction

from .factories import (
    BoardAssignmentFactory,
    BodyAssignmentFactory,
    MemberFactory,
    UserFactory,
    add_totp,
)

# Hypothesis times each example (200 ms deadline, and a "too slow" health check): on a 2-core
# machine shared with PostgreSQL, chromium and workers that is a flake, not a finding. The
# examples and what they assert are unchanged.
hypothesis_settings.register_profile(
    "krets", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("krets")

# Playwright's sync API runs an event loop in this thread; the ORM must still work here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    f"tests.fixtures.{module.name}"
    for module in pkgutil.iter_modules([os.path.join(os.path.dirname(__file__), "fixtures")])
]

# Everyone the role sweep checks: not signed in, a member without a function, a member with a
# political assignment but no board function, and each of the ten board functions.
ANONYMOUS = "anonym"
MEMBER = "medlem"
ASSIGNMENT = "uppdrag"
FUNCTIONS = tuple(BoardFunction.values)
ROLES = (ANONYMOUS, MEMBER, ASSIGNMENT, *FUNCTIONS)


def clear_cache() -> None:
    """Empty the portal's cache without touching the rest of Redis (Celery's queues share it)."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = backend._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{backend.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        backend.clear()


@pytest.fixture(autouse=True)
def _isolated_cache():
    # allauth's rate limits live in the cache; one test's failures must not lock out the next.
    clear_cache()
    yield
    clear_cache()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _enforce_two_factor(settings):
    settings.KRETS_REQUIRE_MFA = True
    settings.KRETS_DEMO_MODE = False


def make_person(role: str, *, two_factor: bool = True):
    """A user for a role, with a member record; board roles and politicians (uppdrag) get
    two-factor unless told not: the portal requires it of both."""
    user = UserFactory()
    member = MemberFactory(user=user, email=user.email, first_name=user.first_name)
    if role in FUNCTIONS:
        BoardAssignmentFactory(member=member, function=role)
        if two_factor:
            add_totp(user)
    elif role == ASSIGNMENT:
        BodyAssignmentFactory(member=member)
        if two_factor:
            add_totp(user)
    return user


@pytest.fixture
def person(db):
    return make_person


@pytest.fixture
def client_as(db, client):
    """client_as(role) -> a test client signed in as that role (or anonymous)."""

    def sign_in(role: str, **kwargs):
        if role != ANONYMOUS:
            client.force_login(make_person(role, **kwargs))
        return client

    return sign_in


@pytest.fixture
def tasks_in_process():
    """Celery tasks run in this process even when REDIS_URL is set (no worker needed)."""
    from krets.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
