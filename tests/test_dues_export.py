"""The kassör's export, checked with someone else's reader: LibreOffice Calc with Swedish
settings opens the CSV, openpyxl reads what it made of it; openpyxl reads the XLSX."""

import csv
import datetime
import io
import shutil
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from dues import services
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for

# LibreOffice's CSV filter options, in order: separator 59 (;), text delimiter 34 ("),
# character set 76 (UTF-8), first line 1, column formats (none: as a user opening the file
# gets), language 1053 (sv-SE), "quoted field as text" off, "detect special numbers" on.
SWEDISH_CSV_FILTER = "CSV:59,34,76,1,,1053,false,true"


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing (apt-get install libreoffice-calc-nogui)")
    # A profile of our own: another LibreOffice running on the machine must not be reused.
    profile = tmp_path_factory.mktemp("lo-profile")

    def to_xlsx(csv_bytes: bytes) -> openpyxl.Workbook:
        directory = tmp_path_factory.mktemp("lo")
        source = directory / "avgifter.csv"
        source.write_bytes(csv_bytes)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                f"--infilter={SWEDISH_CSV_FILTER}",
                "--convert-to",
                "xlsx",
                "--outdir",
                str(directory),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return openpyxl.load_workbook(directory / "avgifter.xlsx")

    return to_xlsx


@pytest.fixture
def dues(db):
    """Three members: paid in full, part paid with a Swedish mobile, a foreign phone and a
    name that starts like a formula; and one whose payment was returned."""
    paid = invoice_for(
        MemberFactory(first_name="Åke", last_name="Ödlund", phone="0701234567", member_number=42),
        amount="1234.50",
    )
    services.payment_register(
        invoice=paid, amount=Decimal("1234.50"), paid_on=datetime.date(2023, 2, 1), method="swish"
    )
    part = invoice_for(
        MemberFactory(
            first_name='=HYPERLINK("x")', last_name="Ärlig", phone="+4741234567", member_number=7
        ),
        amount="250.00",
    )
    services.payment_register(
        invoice=part, amount=Decimal("100"), paid_on=datetime.date(2023, 2, 2), method="bankgiro"
    )
    returned = invoice_for(
        MemberFactory(first_name="Rut", last_name="Retur", phone="", member_number=8),
        amount="250.00",
    )
    payment = services.payment_register(
        invoice=returned, amount=Decimal("250"), paid_on=datetime.date(2023, 3, 1), method="swish"
    )
    services.payment_reverse(
        payment=payment, reason="Fel avi", reversed_on=datetime.date(2023, 3, 5)
    )
    return {"paid": paid, "part": part, "returned": returned}


def _download(client, fmt: str) -> bytes:
    response = client.get(reverse("dues:export"), {"ar": 2023, "status": "alla", "format": fmt})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_swedish_csv_has_text_ocrs_and_phones_and_plain_amounts(client_as, dues):
    raw = _download(client_as("kassor"), "excel")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0] == [
        "Namn",
        "Medlemsnummer",
        "Adress",
        "E-post",
        "Telefon",
        "Avgift",
        "Betalt",
        "Kvar att betala",
        "Status",
        "Senast betald",
        "Betalsätt",
        "OCR",
        "Kategori",
        "Hushållets betalare",
    ]
    rows = {row[0]: row for row in table[1:]}
    ake = rows["Åke Ödlund"]
    ocr = dues["paid"].ocr  # 12 digits
    assert ake[4] == "070-123 45 67" and ake[11] == f"{ocr[:4]} {ocr[4:8]} {ocr[8:]}"
    assert ake[5:11] == ["1234,50", "1234,50", "0,00", "Betald", "2023-02-01", "Swish"]
    foreign = rows['\'=HYPERLINK("x") Ärlig']
    assert foreign[4] == "00 47 41 23 45 67" and foreign[5:8] == ["250,00", "100,00", "150,00"]
    rut = rows["Rut Retur"]
    assert rut[6:8] == ["0,00", "250,00"] and rut[9] == ""  # a returned payment is not "paid"


def test_libreoffice_with_swedish_settings_shows_ocrs_in_full_and_phones_without_apostrophes(
    client_as, dues, libreoffice
):
    sheet = libreoffice(_download(client_as("kassor"), "excel")).active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    ake = rows["Åke Ödlund"]
    ocr, phone = ake[11], ake[4]
    assert ocr.data_type == "s" and ocr.value.replace(" ", "") == dues["paid"].ocr
    assert phone.data_type == "s" and phone.value == "070-123 45 67"
    assert "'" not in phone.value and "E+" not in ocr.value
    assert [c.value for c in ake[5:8]] == [1234.5, 1234.5, 0]
    assert all(c.data_type == "n" for c in ake[5:8])
    assert ake[9].value == datetime.datetime(2023, 2, 1)  # a date, not text
    assert rows['\'=HYPERLINK("x") Ärlig'][4].value == "00 47 41 23 45 67"
    assert ake[1].value == 42


def test_libreoffice_turns_bare_digits_into_numbers_which_is_why_the_csv_groups_them(
    libreoffice,
):
    """The premise of docs/dues-export.md, checked: what LibreOffice makes of the obvious ways."""
    line = '+46701234567;0701234567;202300200120;"0701234567";\'0701234567;12345678901234567890'
    sheet = libreoffice(f"\ufeffa;b;c;d;e;f\r\n{line}\r\n".encode()).active
    values = [cell.value for cell in sheet[2]]
    assert values[:4] == [46701234567, 701234567, 202300200120, 701234567]  # + and 0 lost
    assert values[4] == "'0701234567"  # the apostrophe shows
    assert values[5] != 12345678901234567890  # more than 15 digits lose their last ones


def test_the_xlsx_types_every_cell(client_as, dues):
    client = client_as("kassor")
    response = client.get(reverse("dues:export"), {"ar": 2023, "status": "alla", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="avgifter-2023-alla.xlsx"' in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    assert header[4:] == [
        "Telefon",
        "Avgift",
        "Betalt",
        "Kvar att betala",
        "Status",
        "Senast betald",
        "Betalsätt",
        "OCR",
        "Kategori",
        "Hushållets betalare",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    ake = rows["Åke Ödlund"]
    assert ake[11].value == dues["paid"].ocr and ake[11].data_type == "s"
    assert ake[4].value == "070-123 45 67" and ake[4].data_type == "s"
    for cell in ake[5:8]:
        assert cell.data_type == "n" and cell.number_format == "#,##0.00"
    assert [c.value for c in ake[5:8]] == [1234.5, 1234.5, 0]
    assert ake[9].value == datetime.datetime(2023, 2, 1) and ake[9].is_date
    assert ake[1].value == 42
    formula_like = rows['=HYPERLINK("x") Ärlig'][0]
    assert formula_like.data_type == "s"  # a name, never a formula
    assert [c.value for c in rows["Rut Retur"][5:8]] == [250, 0, 250]


def test_the_xlsx_export_is_in_the_audit_log(client_as, dues):
    from krets.models import AuditEvent

    _download(client_as("kassor"), "xlsx")
    event = AuditEvent.objects.filter(action="members_exported").latest("id")
    assert event.target == "avgifter:2023"
    assert event.detail["rows"] == 3 and event.detail["read"] == "dues_export"
