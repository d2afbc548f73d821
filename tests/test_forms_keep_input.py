"""Forms keep what was typed when they fail (issue 15, WCAG 3.3.1 and 3.3.3): each main form is
posted as a person would fill it in, with one field wrong. The page comes back with every other
typed value still in its field, and the wrong field is marked invalid and described by the error
text, so a screen reader says what is wrong where the cursor is."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from members.models import BoardFunction as F
from tests.access import ANONYMOUS
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for
from tests.fixtures.meetings import MeetingFactory, in_days

pytestmark = pytest.mark.django_db


class Forms(HTMLParser):
    """The page's post forms: their fields (name → attributes, plus the value shown) and the
    text of every element with an id (for aria-describedby)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.texts: dict[str, str] = {}
        self._open_ids: list[tuple[str, str]] = []  # (tag, id) of elements still open
        self._stack: list[str] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.forms.append({"action": attrs.get("action", ""), "fields": {}})
        fields = self.forms[-1]["fields"] if self.forms else {}
        if tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                field = fields.setdefault(attrs["name"], {**attrs, "value": [], "options": []})
                field["options"].append(attrs.get("value", "on"))
                if "checked" in attrs:
                    field["value"].append(attrs.get("value", "on"))
            else:
                fields[attrs["name"]] = {**attrs, "value": attrs.get("value", "")}
        elif tag == "select" and attrs.get("name"):
            self._select = fields[attrs["name"]] = {**attrs, "value": None, "options": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            self._select["options"].append(value)
            if "selected" in attrs or self._select["value"] is None:
                self._select["value"] = value  # a browser sends the first option if none is chosen
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = fields[attrs["name"]] = {**attrs, "value": ""}
        if attrs.get("id"):
            self._open_ids.append((tag, attrs["id"]))
            self.texts.setdefault(attrs["id"], "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        for index in range(len(self._open_ids) - 1, -1, -1):
            if self._open_ids[index][0] == tag:
                del self._open_ids[index]
                break

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["value"] += data
        for _tag, element_id in self._open_ids:
            self.texts[element_id] += data


def parse(html: str) -> Forms:
    parser = Forms()
    parser.feed(html)
    return parser


def form_with(page: Forms, name: str) -> dict:
    for form in page.forms:
        if name in form["fields"]:
            return form
    raise AssertionError(f"no post form with a field {name!r}")


def filled(form: dict, typed: dict) -> dict:
    """What the browser would send: the fields as shown, with the person's typing over them."""
    data = {}
    for name, field in form["fields"].items():
        if field.get("type") in ("checkbox", "radio"):
            data[name] = field["value"]
        elif field.get("type") not in ("submit", "button", "file"):
            data[name] = field["value"] or ""
    data.update(typed)
    return data


def shown(field: dict) -> str | list:
    value = field["value"]
    return value.strip("\r\n") if isinstance(value, str) else value


def in_a_week() -> str:
    return (datetime.date.today() + datetime.timedelta(days=7)).isoformat()


def meeting_page():
    return reverse("visitors:meeting", args=[MeetingFactory(starts_at=in_days(10)).pk])


def invoice_page():
    return reverse("dues:invoice", args=[invoice_for(MemberFactory(), year=2023).pk])


# role, page with the form, what is typed (valid), the one wrong field and its value.
CASES = {
    "member create": (
        F.MEMBERSHIP,
        lambda: reverse("members:create"),
        {
            "first_name": "Astrid",
            "last_name": "Lindgren",
            "address": "Storgatan 1",
            "town": "Sandviken",
            "email": "astrid@example.org",
            "joined_on": "2023-02-01",
        },
        ("birth_date", "1980-13-45"),
    ),
    "meeting create": (
        F.SECRETARY,
        lambda: reverse("meetings:create"),
        {
            "title": "Höstmöte i Järbo",
            "starts_at": "2031-10-04T18:00",
            "ends_at": "2031-10-04T20:00",
            "address": "Folkets hus, Järbo",
            "description": "Budgeten och valet.",
        },
        ("video_url", "inte en länk"),
    ),
    "newsletter": (
        F.COMMUNICATION,
        lambda: reverse("newsletters:create"),
        {"subject": "Oktoberbrevet", "body": "Hej alla!\nVi ses på mötet."},
        ("joined_months", "många"),
    ),
    "fee": (
        F.TREASURER,
        lambda: reverse("dues:fees"),
        {"year": "2031", "name": "Ordinarie 2031", "due_on": "2031-03-31"},
        ("amount", "tvåhundra"),
    ),
    "payment": (
        F.TREASURER,
        invoice_page,
        {"amount": "150,00", "reference": "Swish 12345"},
        ("paid_on", "31/31/2023"),
    ),
    "campaign": (
        F.CAMPAIGN,
        lambda: reverse("campaigns:create"),
        {"name": "Vårvärvning", "purpose": "Nya medlemmar i Storvik.", "starts_on": "2031-03-01"},
        ("ends_on", "2031-02-30"),
    ),
    "goal": (
        F.CHAIR,
        lambda: reverse("goals:goal_create") + "?ar=2031",
        {"year": "2031", "title": "Fler medlemmar", "description": "Tio procent fler."},
        ("number", "ett"),
    ),
    "sign-up": (
        ANONYMOUS,
        meeting_page,
        {"name": "Vera Visit", "phone": "070-123 45 67", "consent": "on"},
        ("email", "vera.example.org"),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_failed_form_keeps_what_was_typed_and_ties_the_error_to_its_field(
    case, client_as, settings
):
    settings.KRETS_PUBLIC_FORM_MIN_SECONDS = 0
    role, url, typed, (wrong, wrong_value) = CASES[case]
    client = client_as(role)
    url = url()
    page = parse(client.get(url).content.decode())
    form = form_with(page, wrong)
    for name in typed:
        assert name in form["fields"], f"{case}: the form has no field {name!r}"

    response = client.post(form["action"] or url, filled(form, {**typed, wrong: wrong_value}))

    assert response.status_code in (200, 400), f"{case}: {response.status_code}"
    again = form_with(parse(response.content.decode()), wrong)
    for name, value in typed.items():
        field = again["fields"][name]
        expected = [value] if field.get("type") in ("checkbox", "radio") else value
        assert shown(field) == expected, f"{case}: {name} lost what was typed"
    assert shown(again["fields"][wrong]) == wrong_value, f"{case}: the wrong value is gone"
    field = again["fields"][wrong]
    assert field.get("aria-invalid") == "true", f"{case}: {wrong} is not marked invalid"
    described = field.get("aria-describedby", "").split()
    texts = parse(response.content.decode()).texts
    errors = [texts.get(element_id, "").strip() for element_id in described]
    assert any(errors), f"{case}: {wrong} is described by no error text ({described})"
