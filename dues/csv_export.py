"""The kassör's dues list: CSV in two dialects and XLSX, written row by row.

Why the cells look the way they do is in docs/dues-export.md. In short: a spreadsheet opening a
CSV reads every cell that looks like a number as a number, so `0701234567` loses its 0,
`+46701234567` its +, and a 12-digit OCR shows as `2,023E+11` (and one of 16 digits or more
loses its last digits). A leading apostrophe keeps them as text in Excel but is shown as part
of the cell by LibreOffice, and `="…"` formulas are formulas. So the Excel dialect writes
OCR numbers grouped in fours as on a printed avi (`2023 0020 0120`) and phone numbers the
Swedish way (`070-123 45 67`, abroad `00 47 41 23 45 67`): text to both programs, in full, with
no apostrophe and nothing a spreadsheet could run. The XLSX says what each cell is instead:
OCR and phone as text, amounts as numbers with two decimals, dates as dates.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import phonenumbers
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from krets.spreadsheet import neutralise
from krets.templatetags.krets_format import format_money

from .models import DuesStatus, PaymentMethod

FORMATS = {"excel", "rfc4180", "xlsx"}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TEXT, CODE, NUMBER, MONEY, DATE = "text", "code", "number", "money", "date"


@dataclass(frozen=True)
class Column:
    header: str
    kind: str  # TEXT (free text), CODE (digits that must stay text), NUMBER, MONEY, DATE
    width: int = 14


COLUMNS = [
    Column("Namn", TEXT, 28),
    Column("Medlemsnummer", NUMBER),
    Column("Adress", TEXT, 36),
    Column("E-post", TEXT, 30),
    Column("Telefon", CODE, 18),
    Column("Avgift", MONEY),
    Column("Betalt", MONEY),
    Column("Kvar att betala", MONEY),
    Column("Status", TEXT),
    Column("Senast betald", DATE),
    Column("Betalsätt", TEXT),
    Column("OCR", CODE, 18),
    # Last, so that every column before keeps its place in files people already read.
    Column("Kategori", TEXT, 18),
    Column("Hushållets betalare", TEXT, 28),
]
HEADER = [column.header for column in COLUMNS]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _values(rows: Iterable[tuple]) -> Iterator[list]:
    """Typed values in the order of COLUMNS from the selector's tuples."""
    # Labels translated once, not once per row.
    methods = {value: str(label) for value, label in PaymentMethod.choices}
    statuses = {value: str(label) for value, label in DuesStatus.choices}
    for (
        first,
        last,
        number,
        address,
        postcode,
        town,
        email,
        phone,
        due,
        paid,
        paid_on,
        method,
        ocr,
        status,
        category,
        payer_first,
        payer_last,
    ) in rows:
        yield [
            f"{first} {last}".strip(),
            number,
            ", ".join(part for part in (address, f"{postcode} {town}".strip()) if part),
            email,
            phone,
            due,
            paid,
            max(due - paid, Decimal("0.00")),
            statuses.get(status, ""),
            paid_on,
            methods.get(method, "") if method else "",
            ocr,
            category or "",
            f"{payer_first or ''} {payer_last or ''}".strip(),
        ]


def ocr_for_people(ocr: str) -> str:
    """`202300200120` → `2023 0020 0120`: groups of four, never a valid thousands grouping."""
    return " ".join(ocr[i : i + 4] for i in range(0, len(ocr), 4))


def phone_for_people(phone: str) -> str:
    """`+46701234567` → `070-123 45 67`; abroad `+4741234567` → `00 47 41 23 45 67`."""
    if not phone:
        return ""
    if len(phone) == 12 and phone.startswith("+467") and phone[1:].isdigit():
        # A Swedish mobile, most of the registry: 07X-XXX XX XX without the parser's cost.
        return f"0{phone[3:5]}-{phone[5:8]} {phone[8:10]} {phone[10:]}"
    try:
        number = phonenumbers.parse(phone, "SE")
    except phonenumbers.NumberParseException:
        return phone
    style = phonenumbers.PhoneNumberFormat
    if number.country_code == 46:
        return phonenumbers.format_number(number, style.NATIONAL)
    return "00 " + phonenumbers.format_number(number, style.INTERNATIONAL).lstrip("+")


def csv_lines(rows: Iterable[tuple], *, dialect: str) -> Iterator[str]:
    """Lines of CSV. `excel`: semicolons, BOM, decimal comma, OCR and phone as text for people;
    `rfc4180`: commas, CRLF, points, OCR digits and phone in E.164 for programs."""
    excel = dialect == "excel"
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        yield "\ufeff"
    yield writer.writerow(HEADER)
    for values in _values(rows):
        cells = []
        for column, value in zip(COLUMNS, values, strict=True):
            if value is None or value == "":
                cells.append("")
            elif column.kind == MONEY:
                # Not neutralised: "-250,00" is a number, not a formula.
                cells.append(
                    format_money(value, unit=False).replace(" ", "") if excel else f"{value:.2f}"
                )
            elif column.kind == DATE:
                cells.append(value.isoformat())
            elif column.kind == NUMBER:
                cells.append(str(value))
            elif excel and column.header == "OCR":
                cells.append(neutralise(ocr_for_people(value)))
            elif excel and column.header == "Telefon":
                cells.append(neutralise(phone_for_people(value)))
            else:
                cells.append(neutralise(str(value)))
        yield writer.writerow(cells)


def xlsx_file(rows: Iterable[tuple], *, title: str = "Avgifter"):
    """The list as an XLSX workbook in a temporary file (rewound, for FileResponse to stream).

    Written with openpyxl's write-only mode: rows go to disk as they come, so memory does not
    grow with the number of members.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for text in HEADER:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    # One styled cell per column, given each row's value: openpyxl writes a row the moment it
    # is appended, and building and styling a cell per value would cost more than the rest.
    cells = [_xlsx_cell(sheet, column) for column in COLUMNS]
    for values in _values(rows):
        row = []
        for column, cell, value in zip(COLUMNS, cells, values, strict=True):
            if value is None or value == "":
                row.append(None)
                continue
            if column.kind in (TEXT, CODE):
                cell.value = phone_for_people(value) if column.header == "Telefon" else str(value)
                # A string, even when it starts with "=": openpyxl would write a formula.
                cell.data_type = "s"
            else:
                cell.value = value
            row.append(cell)
        sheet.append(row)
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_cell(sheet, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet)
    if column.kind == MONEY:
        cell.number_format = "#,##0.00"
    elif column.kind == DATE:
        cell.number_format = "yyyy-mm-dd"
    elif column.kind in (TEXT, CODE):
        cell.number_format = "@"
    return cell
