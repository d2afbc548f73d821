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
from members.models import Member

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


# --- The CSV straight from PostgreSQL -----------------------------------------------------
#
# At 100 000 members the row-by-row writer above spends ~100 µs a row in Python (formatting
# amounts, grouping OCRs, guarding formulas) and the ORM's two subqueries per invoice for the
# last payment. On PostgreSQL the query below returns every cell already as the text the
# writer above would produce, so Python only hands chunks of rows to the C csv writer; a
# phone number outside the common Swedish mobile form is still formatted by `phone_for_people`.
# tests/test_dues_export.py checks that both writers produce the same bytes.

_GUARD = (
    "CASE WHEN left({0}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || {0} ELSE {0} END"
)
# A Swedish mobile in E.164 (+467XXXXXXXX), the fast path of phone_for_people; no regular
# expression, which costs more per row than the rest of the row.
_MOBILE = (
    "length(m.phone) = 12 AND left(m.phone, 4) = '+467' "
    "AND translate(substr(m.phone, 2), '0123456789', '') = ''"
)


def _guarded(expression: str) -> str:
    """The SQL form of krets.spreadsheet.neutralise, '' as NULL (an empty cell either way)."""
    return _GUARD.format(f"NULLIF({expression}, '')")


def _sql_rows(*, year: int, status: str, dialect: str, today) -> tuple[str, list]:
    from .models import DuesInvoice, Fee, Household, Payment
    from .selectors import invoices_with_status

    excel = dialect == "excel"
    invoice, payment = DuesInvoice._meta.db_table, Payment._meta.db_table
    member, fee, household = Member._meta.db_table, Fee._meta.db_table, Household._meta.db_table

    def money(expression: str) -> str:
        return f"replace(({expression})::text, '.', ',')" if excel else f"({expression})::text"

    statuses = dict(DuesStatus.choices)
    methods = dict(PaymentMethod.choices)
    params: list = []

    def label(value) -> str:
        params.append(str(value))
        return "%s"

    def day(value) -> str:
        params.append(value)
        return "%s"

    # models.dues_status and DuesInvoice.status, in SQL (as selectors.status_case).
    status_sql = (
        f"CASE WHEN i.paid_amount >= i.amount THEN {label(statuses[DuesStatus.PAID])} "
        f"WHEN i.written_off_on IS NOT NULL THEN {label(statuses[DuesStatus.WRITTEN_OFF])} "
        f"WHEN i.due_on < {day(today)} THEN {label(statuses[DuesStatus.OVERDUE])} "
        f"WHEN i.paid_amount > 0 THEN {label(statuses[DuesStatus.PART_PAID])} "
        f"ELSE {label(statuses[DuesStatus.UNPAID])} END"
    )
    method_sql = (
        "CASE lp.method "
        + " ".join(f"WHEN {label(value)} THEN {label(text)}" for value, text in methods.items())
        + " END"
    )
    if excel:
        phone = (
            f"CASE WHEN {_MOBILE} THEN '0' || substr(m.phone, 4, 2) || '-' || "
            "substr(m.phone, 6, 3) || ' ' || substr(m.phone, 9, 2) || ' ' || "
            "substr(m.phone, 11, 2) ELSE NULLIF(m.phone, '') END"
        )
        # ocr_for_people: groups of four (an OCR has at most 25 digits).
        ocr = _guarded(
            "concat_ws(' ', "
            + ", ".join(f"NULLIF(substr(i.ocr, {start}, 4), '')" for start in range(1, 26, 4))
            + ")"
        )
        needs_python = f"m.phone <> '' AND NOT ({_MOBILE})"
    else:
        phone = _guarded("m.phone")
        ocr = _guarded("i.ocr")
        needs_python = "false"
    cells = [
        _guarded("btrim(m.first_name || ' ' || m.last_name)"),
        "m.member_number::text",
        _guarded(
            "concat_ws(', ', NULLIF(m.address, ''), NULLIF(btrim(m.postcode || ' ' || m.town), ''))"
        ),
        _guarded("m.email"),
        phone,
        money("i.amount"),
        money("i.paid_amount"),
        money("GREATEST(i.amount - i.paid_amount, 0)::numeric(12, 2)"),
        status_sql,
        "to_char(lp.paid_on, 'YYYY-MM-DD')",
        method_sql,
        ocr,
        _guarded("f.name"),
        _guarded("btrim(coalesce(pm.first_name, '') || ' ' || coalesce(pm.last_name, ''))"),
        needs_python,
    ]
    where = "i.year = %s"
    tail_params: list = [year]
    if status:
        ids = invoices_with_status(year=year, status=status, today=today).order_by().values("id")
        ids_sql, ids_params = ids.query.sql_with_params()
        where += f" AND i.id IN ({ids_sql})"
        tail_params.extend(ids_params)
    # The last payment that stands: neither a reversal nor reversed.
    sql = f"""
        WITH last_payment AS (
            SELECT DISTINCT ON (p.invoice_id) p.invoice_id, p.paid_on, p.method
            FROM {payment} p JOIN {invoice} pi ON pi.id = p.invoice_id
            WHERE pi.year = %s AND p.reverses_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM {payment} r WHERE r.reverses_id = p.id)
            ORDER BY p.invoice_id, p.paid_on DESC, p.id DESC
        )
        SELECT {", ".join(cells)}
        FROM {invoice} i
        JOIN {member} m ON m.id = i.member_id
        JOIN {fee} f ON f.id = i.fee_id
        LEFT JOIN {household} h ON h.id = i.household_id
        LEFT JOIN {member} pm ON pm.id = h.payer_id
        LEFT JOIN last_payment lp ON lp.invoice_id = i.id
        WHERE {where}
        ORDER BY m.last_name, m.first_name, m.id"""
    return sql, [year, *params, *tail_params]


def csv_lines_from_database(
    *, year: int, status: str, dialect: str, today=None, chunk_size: int = 5000
) -> Iterator[str]:
    """The same CSV as `csv_lines(export_rows(...))`, written by PostgreSQL and the C csv
    writer in chunks of `chunk_size` rows (a server-side cursor: memory stays flat)."""
    import io

    from django.db import connection
    from django.utils import timezone

    sql, params = _sql_rows(
        year=year, status=status, dialect=dialect, today=today or timezone.localdate()
    )
    excel = dialect == "excel"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    if excel:
        buffer.write("\ufeff")
    writer.writerow(HEADER)
    yield buffer.getvalue()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            buffer.seek(0)
            buffer.truncate()
            # The last cell says whether the phone still needs formatting here.
            writer.writerows(_phone_formatted(row) if row[-1] else row[:-1] for row in rows)
            yield buffer.getvalue()


def _phone_formatted(row: tuple) -> tuple:
    return (*row[:4], neutralise(phone_for_people(row[4])), *row[5:-1])
