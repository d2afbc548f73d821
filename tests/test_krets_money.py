"""Money as Swedes type it: one parser, one form field, used by every form with an amount."""

import importlib
import inspect
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import models
from django.test import RequestFactory
from django.urls import reverse

from krets.money import MoneyError, MoneyField, MoneyInput, parse_money
from tests.fixtures.campaigns import CampaignFactory, ChannelFactory

ONE_THOUSAND_TWO_HUNDRED_FIFTY = Decimal("1200.50")


@pytest.mark.parametrize(
    "text",
    [
        "1 200,50",
        "1200,50",
        "1 200,50 kr",
        "1200.50",
        "1.200,50",
        "1,200.50",  # unambiguous: the last mark is the decimal one, the other groups thousands
        "1\u00a0200,50",  # no-break space, as copied from a bank's web page
        "1\u202f200,50",  # narrow no-break space, as written by a word processor
        "1\u2009200,50",  # thin space
        " 1 200,50 ",
        "1 200,50 SEK",
        "SEK 1200,50",
        "1200,50kr",
        "1 200,50 kr.",
        "1200,5",
    ],
)
def test_every_way_of_writing_1200_50_is_1200_50(text):
    assert parse_money(text) == ONE_THOUSAND_TWO_HUNDRED_FIFTY


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 200", "1200.00"),
        ("1200", "1200.00"),
        ("250:-", "250.00"),
        ("250,-", "250.00"),
        ("1.200.000", "1200000.00"),
        ("1 200 000,50", "1200000.50"),
        (",50", "0.50"),
        ("0", "0.00"),
        ("1,20", "1.20"),
        ("1.20", "1.20"),
        ("99,9", "99.90"),
    ],
)
def test_other_amounts(text, amount):
    assert parse_money(text) == Decimal(amount)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.200", "kan läsas både som tusental och som decimaler"),
        ("1,200", "kan läsas både som tusental och som decimaler"),
        ("12.345", "Skriv 12345 för 12 345 kronor"),
        ("12,345,6", "kunde inte läsas"),
        ("1 200.000,50", "kunde inte läsas"),
        ("12 00", "grupper om tre siffror"),
        ("1200,505", "Högst två decimaler"),
        ("1200.500", "Högst två decimaler"),
        ("0,001", "Högst två decimaler"),
        ("tolv kronor", "med siffror"),
        ("1e3", "med siffror"),
        ("NaN", "med siffror"),
        ("Infinity", "med siffror"),
        ("+250", "med siffror"),
        ("1,", "med siffror"),
        ("kr", "Skriv ett belopp"),
        ("-250", "kan inte vara negativt"),
        ("\u2212250 kr", "kan inte vara negativt"),
    ],
)
def test_ambiguous_or_malformed_amounts_get_a_swedish_message(text, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(text)


def test_a_negative_amount_where_one_is_allowed():
    assert parse_money("-1 200,50 kr", allow_negative=True) == -ONE_THOUSAND_TWO_HUNDRED_FIFTY


def test_the_field_shows_amounts_the_swedish_way_in_a_text_input_whatever_the_language():
    from django.utils import translation

    field = MoneyField(min_value=0)
    for language in ("sv", "en"):
        with translation.override(language):
            html = field.widget.render("belopp", Decimal("1200.5"))
            assert 'value="1 200,50"' in html
            assert 'type="text"' in html and 'inputmode="decimal"' in html
    assert field.clean("1 200,50 kr") == ONE_THOUSAND_TWO_HUNDRED_FIFTY
    with pytest.raises(forms.ValidationError, match="kan inte vara negativt"):
        field.clean("-5")
    with pytest.raises(forms.ValidationError, match="minst 0,01 kr"):
        MoneyField(min_value=Decimal("0.01")).clean("0")
    with pytest.raises(forms.ValidationError, match="för stort"):
        MoneyField(max_digits=8).clean("1 000 000 000")


def test_what_the_user_typed_is_shown_back_as_typed_after_an_error():
    from dues.forms import PaymentForm

    form = PaymentForm(data={"amount": "1.200", "paid_on": "2023-04-01", "method": "swish"})
    assert not form.is_valid()
    assert "kan läsas både som tusental" in form.errors["amount"][0]
    assert 'value="1.200"' in str(form["amount"])


# --- Every form in the portal --------------------------------------------------------------------


def _project_apps():
    # A virtualenv inside the checkout (CI's clean clone makes one) holds other people's apps.
    root = Path(settings.BASE_DIR).resolve()
    return [
        a
        for a in apps.get_app_configs()
        if Path(a.path).resolve().is_relative_to(root) and "site-packages" not in Path(a.path).parts
    ]


def _form_classes():
    for app in _project_apps():
        for module_name in ("forms", "importing"):
            try:
                module = importlib.import_module(f"{app.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_decimal_field_of_every_form_is_the_money_field():
    checked = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if isinstance(field, forms.DecimalField):
                assert isinstance(field, MoneyField), f"{form_class.__name__}.{name}"
                assert not isinstance(field.widget, forms.NumberInput)
                checked.append(f"{form_class.__name__}.{name}")
    assert {"FeeForm.amount", "PaymentForm.amount", "CampaignForm.budget"} <= set(checked)


@pytest.mark.django_db
def test_the_paid_marketing_month_form_uses_the_money_field():
    from campaigns.forms import MonthPlanForm

    channel = ChannelFactory()
    form = MonthPlanForm(channels=[channel], existing={})
    for kind in ("planned", "spent"):
        assert isinstance(form.fields[f"{kind}_{channel.pk}"], MoneyField)


@pytest.mark.django_db
def test_no_admin_form_has_a_number_input_for_an_amount(admin_user):
    request = RequestFactory().get("/")
    request.user = admin_user
    checked = []
    ours = {app.label for app in _project_apps()}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in ours:
            continue  # django-celery-beat's solar schedule has a longitude, not an amount
        decimals = {f.name for f in model._meta.get_fields() if isinstance(f, models.DecimalField)}
        if not decimals:
            continue
        form = model_admin.get_form(request)
        for name in decimals & set(form.base_fields):
            assert isinstance(form.base_fields[name], MoneyField), f"{model.__name__}.{name}"
            assert isinstance(form.base_fields[name].widget, MoneyInput)
            checked.append(f"{model.__name__}.{name}")
    assert "Fee.amount" in checked and "Campaign.budget" in checked


NUMBER_INPUT = re.compile(r"<input[^>]*type=[\"']?number[^>]*>", re.IGNORECASE)


def test_no_template_has_a_number_input_except_for_years():
    found = []
    for app in _project_apps():
        for template in Path(app.path).rglob("*.html"):
            found += [(template.name, tag) for tag in NUMBER_INPUT.findall(template.read_text())]
    for directory in settings.TEMPLATES[0]["DIRS"]:
        for template in Path(directory).rglob("*.html"):
            found += [(template.name, tag) for tag in NUMBER_INPUT.findall(template.read_text())]
    # The year filter of the dues list is the only number input: a year is not an amount.
    assert [name for name, tag in found if 'name="ar"' not in tag] == []


@pytest.mark.parametrize(
    ("role", "url_name", "args"),
    [
        ("kassor", "dues:fees", []),
        ("kampanjansvarig", "campaigns:create", []),
        ("kampanjansvarig", "campaigns:marketing_month", [2023, 5]),
    ],
)
def test_pages_with_amounts_render_text_inputs_with_a_decimal_keyboard(
    client_as, role, url_name, args
):
    ChannelFactory()
    page = client_as(role).get(reverse(url_name, args=args)).content.decode()
    numbers = [re.search(r'name="([^"]+)"', tag).group(1) for tag in NUMBER_INPUT.findall(page)]
    assert set(numbers) <= {"year", "ar"}  # a year is a number; an amount never is
    assert 'inputmode="decimal"' in page


def test_the_payment_form_on_an_invoice_proposes_what_is_left_the_swedish_way(
    client_as, member_with_invoice
):
    _member, invoice = member_with_invoice
    page = client_as("kassor").get(reverse("dues:invoice", args=[invoice.pk])).content.decode()
    amount = re.search(r'<input[^>]*name="amount"[^>]*>', page).group(0)
    assert 'type="text"' in amount and 'inputmode="decimal"' in amount
    left = f"{invoice.amount:.2f}".replace(".", ",")
    assert f'value="{left}"' in amount


@pytest.mark.parametrize(
    ("typed", "saved"), [("1 200,50", "1200.50"), ("1.200,50 kr", "1200.50"), ("250", "250.00")]
)
def test_a_campaign_budget_is_saved_as_typed(client_as, typed, saved):
    from campaigns.models import Campaign

    campaign = CampaignFactory(budget=Decimal("0"))
    client = client_as("kampanjansvarig")
    form = client.get(reverse("campaigns:edit", args=[campaign.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v not in (None, [])}
    data.update(budget=typed, starts_on="2023-04-01", ends_on="2023-06-30")
    response = client.post(reverse("campaigns:edit", args=[campaign.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert Campaign.objects.get(pk=campaign.pk).budget == Decimal(saved)
