"""The kassör's dues list as CSV, in two dialects, written row by row."""

import csv
from collections.abc import Iterable, Iterator

from krets.spreadsheet import neutralise
from krets.templatetags.krets_format import format_money

from .models import PaymentMethod

HEADER = [
    "Namn",
    "Medlemsnummer",
    "Adress",
    "E-post",
    "Telefon",
    "Att betala",
    "Betalt",
    "Betald",
    "Betalsätt",
    "OCR",
]
FORMATS = {"excel", "rfc4180"}


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[tuple], *, dialect: str) -> Iterator[str]:
    """Lines of CSV. `excel`: semicolons, BOM, decimal comma; `rfc4180`: commas, CRLF."""
    excel = dialect == "excel"
    writer = csv.writer(_Echo(), delimiter=";" if excel else ",", lineterminator="\r\n")
    methods = dict(PaymentMethod.choices)
    if excel:
        yield "\ufeff"
    yield writer.writerow(HEADER)
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
    ) in rows:  # noqa: E501
        amounts = (
            (
                format_money(due, unit=False).replace(" ", ""),
                format_money(paid, unit=False).replace(" ", ""),
            )
            if excel
            else (f"{due:.2f}", f"{paid:.2f}")
        )
        cells = [
            f"{first} {last}".strip(),
            str(number or ""),
            ", ".join(part for part in (address, f"{postcode} {town}".strip()) if part),
            email,
            phone,
            *amounts,
            paid_on.isoformat() if paid_on else "",
            str(methods.get(method, "")) if method else "",
            ocr,
        ]
        yield writer.writerow([neutralise(cell) for cell in cells])
