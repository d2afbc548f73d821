"""Uploads are checked before they are read (issue 13, item 7): sizes, binary files where text is
expected, the uncompressed size of an XLSX before unpacking it, and bank amounts."""

import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from dues.camt import BankFileError, parse_bank_file
from dues.models import BankEntry, Payment
from members.models import Member

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[1] / "dues" / "samples"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4

XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
        'formats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org'
        '/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006'
        '/relationships"><sheets><sheet name="Medlemmar" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxml'
        'formats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}


def xlsx_bomb(unpacked_mb: int = 261) -> bytes:
    """A valid XLSX whose one sheet is `unpacked_mb` MB of blank padding: it packs to under 1 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            padding = b" " * (1024 * 1024)
            for _ in range(unpacked_mb):
                sheet.write(padding)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def upload(content: bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(content)
    file.name = name
    return file


def test_xlsx_bomb_is_refused_quickly_with_a_message(client_as):
    bomb = xlsx_bomb()
    assert len(bomb) < 1024 * 1024
    client = client_as("medlemsansvarig")
    client.get(reverse("members:import"))  # the first request loads URLs and templates
    started = time.monotonic()
    response = client.post(reverse("members:import"), {"file": upload(bomb, "lista.xlsx")})
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert "packas upp till 261,0\xa0MB" in response.content.decode()
    assert elapsed < 3, f"refusing the bomb took {elapsed:.1f}s"
    assert not Member.objects.filter(first_name="").exists()


def test_binary_file_named_csv_is_refused(client_as):
    client = client_as("medlemsansvarig")
    response = client.post(reverse("members:import"), {"file": upload(PNG, "lista.csv")})
    assert "Filen är inte en textfil. Välj en CSV-fil." in response.content.decode()


def test_oversized_import_is_refused(client_as, settings):
    settings.KRETS_MAX_IMPORT_BYTES = 1000
    content = ("Förnamn;Efternamn\n" + "Anna;Andersson\n" * 200).encode()
    client = client_as("medlemsansvarig")
    response = client.post(reverse("members:import"), {"file": upload(content, "lista.csv")})
    assert "Filen är för stor" in response.content.decode()


def test_request_body_over_the_limit_is_refused_before_it_is_read(client_as, settings):
    settings.KRETS_MAX_REQUEST_BYTES = 10_000
    client = client_as("medlemsansvarig")
    content = ("Förnamn;Efternamn\n" + "Anna;Andersson\n" * 2000).encode()
    response = client.post(
        reverse("members:import"), {"file": upload(content, "lista.csv")}, follow=True
    )
    assert response.redirect_chain[0] == (reverse("members:import"), 302)
    assert "Filen är för stor (högst 9,8\xa0kB)." in response.content.decode()


def camt_with_first_amount(value: str) -> bytes:
    """The sample camt.054 with its first entry's amount (and its transaction's) replaced."""
    sample = (SAMPLES / "camt054-demo-2023.xml").read_text()
    return sample.replace("250.00", value, 2).encode()


@pytest.mark.parametrize(
    "amount",
    ["NaN", "Infinity", "-Infinity", "99999999999999999999", "-250.00", "250.005", "0", "1e3"],
)
def test_bank_file_with_a_bad_amount_is_refused_whole(client_as, amount):
    client = client_as("kassor")
    response = client.post(
        reverse("dues:bank"),
        {"file": upload(camt_with_first_amount(amount), "camt.xml")},
        follow=True,
    )
    page = response.content.decode()
    assert "Filen är inte inläst, inget är bokfört" in page
    assert "Ett belopp i filen är ogiltigt" in page
    assert not BankEntry.objects.exists() and not Payment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "read"), [("250", "250"), ("250.5", "250.5"), ("250.50", "250.50"), ("0.01", "0.01")]
)
def test_bank_amounts_with_at_most_two_decimals_are_read(amount, read):
    kind, credits = parse_bank_file(camt_with_first_amount(amount))
    assert credits[0].amount == Decimal(read)


def test_binary_bank_file_is_refused():
    with pytest.raises(BankFileError, match="inte en textfil"):
        parse_bank_file(PNG)
    with pytest.raises(BankFileError, match="inte en textfil"):
        parse_bank_file(b"<?xml version='1.0'?>\x00\x00<Document/>")
