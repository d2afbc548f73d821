import datetime
from decimal import Decimal

from django.utils import translation

from krets.templatetags.krets_format import money, sv_date


def test_money_shows_swedish_thousands_and_decimal_comma():
    assert money(Decimal("1234.5")) == "1 234,50 kr"
    assert money(1234567) == "1 234 567,00 kr"
    assert money(Decimal("0")) == "0,00 kr"
    assert money(Decimal("-50.256")) == "-50,26 kr"
    assert money(None) == ""


def test_sv_date_uses_swedish_month_names():
    with translation.override("sv"):
        assert sv_date(datetime.date(2023, 3, 14)) == "14 mars 2023"
