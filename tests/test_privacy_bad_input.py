"""Bad input gets a Swedish message, never a 500 (issue 13, item 7): every GET URL, as the
ordförande and as an anonymous visitor, with malformed values for the query parameters."""

import pytest
from django.urls import reverse

from .access import all_rules
from .conftest import ANONYMOUS

# Every query parameter a view of the portal reads (grep request.GET), and a few common ones.
PARAMETERS = (
    "ar",
    "avgift",
    "avgiftsar",
    "aktivitet",
    "alder",
    "datum",
    "efter",
    "fore",
    "format",
    "fran",
    "handelse",
    "kommundel",
    "manad",
    "mote",
    "page",
    "per",
    "q",
    "sida",
    "sok",
    "sortering",
    "status",
    "tidigare",
    "till",
    "typ",
    "vy",
    "year",
    "distrikt",
)
MALFORMED = (
    "abc",
    "0",
    "-1",
    "2023-02-30",
    "99999999999999999999",
    "",
    "NaN",
    "1e400",
    "1.5",
    "\x00",
    "\u202e",
)
GET_RULES = {name: rule for name, rule in all_rules().items() if rule.method == "get"}


@pytest.mark.parametrize("role", [ANONYMOUS, "ordforande"])
@pytest.mark.parametrize("name", sorted(GET_RULES))
def test_malformed_query_parameters_never_give_a_server_error(name, role, client_as):
    rule = GET_RULES[name]
    client = client_as(role)
    client.raise_request_exception = False
    url = reverse(name, kwargs=rule.kwargs() if rule.kwargs else None)
    errors = []
    for value in MALFORMED:
        response = client.get(url, dict.fromkeys(PARAMETERS, value))
        if response.status_code >= 500:
            errors.append(f"{value!r}: {response.status_code}")
    assert errors == [], f"{role} GET {url}"
