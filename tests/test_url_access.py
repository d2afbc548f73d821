"""Every URL pattern × every role: the answer each gets is the one decided in tests/access."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .access import all_rules
from .conftest import ROLES

RULES = all_rules()


def named_patterns(resolver=None, namespace: str = ""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name or repr(pattern)}"


def test_every_url_pattern_has_an_access_rule():
    # Django's admin is checked as a whole (tests/test_admin.py): it needs is_staff.
    patterns = {name for name in named_patterns() if not name.startswith("admin:")}
    assert sorted(patterns - RULES.keys()) == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(RULES))
def test_url_answers_role_as_decided(name, role, client_as):
    rule = RULES[name]
    client = client_as(role)
    url = reverse(name, kwargs=rule.kwargs() if rule.kwargs else None) + rule.query
    # Irreversible actions act only when confirmed (krets/confirm.py): the sweep confirms.
    data = {"confirm": "1"} if rule.method == "post" else None
    response = getattr(client, rule.method)(url, data)
    assert response.status_code == rule.expected(role), f"{role} {rule.method.upper()} {url}"
    if response.status_code == 302 and role == "anonym" and rule.anonymous_to_login:
        assert response["Location"].startswith(reverse("account_login"))
