"""Importing an existing member list (CSV or XLSX): parse, check every row, then all or none."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _

from krets.forms import CleanTextMixin
from krets.uploads import check_size, check_xlsx, refuse_binary

from .models import District, Member
from .validators import phone_normalise

# Column headings we recognise (lower case) → field.
HEADINGS = {
    "förnamn": "first_name",
    "efternamn": "last_name",
    "födelsedatum": "birth_date",
    "adress": "address",
    "postnummer": "postcode",
    "ort": "town",
    "kommundel": "district",
    "e-post": "email",
    "epost": "email",
    "telefon": "phone",
    "medlem sedan": "joined_on",
    "medlemsnummer": "member_number",
    "värvad genom": "recruitment_source",
    "nyhetsbrev": "newsletter_consent",
    "anteckningar": "notes",
}


class ImportFileError(ValueError):
    pass


class ImportRowForm(CleanTextMixin, forms.Form):
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    birth_date = forms.DateField(required=False)
    address = forms.CharField(max_length=200, required=False)
    postcode = forms.CharField(max_length=10, required=False)
    town = forms.CharField(max_length=100, required=False)
    district = forms.CharField(max_length=100, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    joined_on = forms.DateField(required=False)
    member_number = forms.IntegerField(required=False, min_value=1)
    recruitment_source = forms.CharField(max_length=200, required=False)
    newsletter_consent = forms.CharField(required=False)
    notes = forms.CharField(required=False)

    def __init__(self, *args, districts: dict[str, District], **kwargs):
        super().__init__(*args, **kwargs)
        self.districts = districts

    def clean_phone(self):
        return phone_normalise(self.cleaned_data["phone"])

    def clean_district(self):
        name = self.cleaned_data["district"].strip()
        if not name:
            return None
        district = self.districts.get(name.lower())
        if district is None:
            raise forms.ValidationError(_("Okänd kommundel: %(name)s") % {"name": name})
        return district

    def clean_newsletter_consent(self):
        return self.cleaned_data["newsletter_consent"].strip().lower() in {"ja", "x", "1", "true"}


@dataclass
class ImportRow:
    number: int  # the row in the file, headings being row 1
    values: dict
    errors: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(name: str, content: bytes) -> list[list[str]]:
    """The rows of a CSV (comma or semicolon, UTF-8 with or without BOM) or XLSX file."""
    check_size(content, settings.KRETS_MAX_IMPORT_BYTES, error=ImportFileError)
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        check_xlsx(content, error=ImportFileError)

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception:
            raise ImportFileError(_("Filen kunde inte läsas som XLSX.")) from None
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    refuse_binary(content, expected="CSV", error=ImportFileError)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), dialect)]


def import_check(name: str, content: bytes) -> list[ImportRow]:
    """Every row with its errors in Swedish; duplicates in the file or the registry are errors."""
    table = [row for row in read_table(name, content) if any(row)]
    if not table:
        raise ImportFileError(_("Filen är tom."))
    headings = [HEADINGS.get(h.strip().lower()) for h in table[0]]
    if "first_name" not in headings or "last_name" not in headings:
        raise ImportFileError(_("Filen saknar kolumnerna Förnamn och Efternamn."))
    if len(table) - 1 > settings.KRETS_MAX_IMPORT_ROWS:
        raise ImportFileError(
            _("Högst %(n)s rader per import.") % {"n": settings.KRETS_MAX_IMPORT_ROWS}
        )
    districts = {d.name.lower(): d for d in District.objects.all()}
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {h: c for h, c in zip(headings, cells, strict=False) if h}
        row = ImportRow(number=number, values=values)
        form = ImportRowForm(values, districts=districts)
        if form.is_valid():
            row.data = form.cleaned_data
        else:
            for field_name, messages in form.errors.items():
                label = next((k for k, v in HEADINGS.items() if v == field_name), field_name)
                row.errors.extend(f"{label.capitalize()}: {message}" for message in messages)
        rows.append(row)
    _mark_duplicates(rows)
    return rows


def _mark_duplicates(rows: list[ImportRow]) -> None:
    emails = {r.data["email"].lower() for r in rows if r.data.get("email")}
    known_emails = {
        e.lower() for e in Member.objects.filter(email__in=emails).values_list("email", flat=True)
    }
    numbers = {r.data["member_number"] for r in rows if r.data.get("member_number")}
    known_numbers = set(
        Member.objects.filter(member_number__in=numbers).values_list("member_number", flat=True)
    )
    names = {r.data["last_name"] for r in rows if r.data}
    known_people = set(
        Member.objects.filter(last_name__in=names, birth_date__isnull=False).values_list(
            "first_name", "last_name", "birth_date"
        )
    )
    seen_emails, seen_people, seen_numbers = {}, {}, {}
    for row in rows:
        if not row.data:
            continue
        email = row.data.get("email", "").lower()
        person = (row.data["first_name"], row.data["last_name"], row.data.get("birth_date"))
        number = row.data.get("member_number")
        if email and email in known_emails:
            row.errors.append(_("Dubblett: e-postadressen finns redan i registret."))
        elif email and email in seen_emails:
            row.errors.append(
                _("Dubblett: samma e-post som rad %(n)s.") % {"n": seen_emails[email]}
            )
        if person[2] and person in known_people:
            row.errors.append(_("Dubblett: samma namn och födelsedatum finns redan i registret."))
        elif person[2] and person in seen_people:
            row.errors.append(
                _("Dubblett: samma namn och födelsedatum som rad %(n)s.")
                % {"n": seen_people[person]}
            )
        if number and (number in known_numbers or number in seen_numbers):
            row.errors.append(_("Medlemsnumret %(n)s är redan upptaget.") % {"n": number})
        seen_emails.setdefault(email, row.number) if email else None
        seen_people.setdefault(person, row.number) if person[2] else None
        seen_numbers.setdefault(number, row.number) if number else None
