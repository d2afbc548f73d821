"""CSV that a spreadsheet opens safely: no cell is ever read as a formula (OWASP CSV injection)."""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


class _SafeWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([neutralise(c) if isinstance(c, str) else c for c in row])


def excel_writer(stream) -> _SafeWriter:
    """Semicolons, UTF-8 with BOM and CRLF, as Swedish Excel and LibreOffice expect."""
    stream.write("\ufeff")
    return _SafeWriter(csv.writer(stream, delimiter=";", lineterminator="\r\n"))
