"""Checks on uploaded files before anything reads them: size, text or binary, the uncompressed
size of an XLSX (a zip), and bank amounts. Each raises `error` (the caller's own exception class,
a ValueError) with a Swedish message, so a bad file is refused with words, never with a 500 or a
worker held until gunicorn kills it."""

import io
import re
import zipfile
from decimal import Decimal

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


class UploadRefused(ValueError):
    """A file the portal will not read; the message is for the user."""


def check_size(content: bytes, max_bytes: int, *, error=UploadRefused) -> None:
    if len(content) > max_bytes:
        raise error(
            _("Filen är för stor (%(size)s; högst %(max)s).")
            % {"size": filesizeformat(len(content)), "max": filesizeformat(max_bytes)}
        )


# Magic numbers of common binary formats that are sometimes renamed to .csv or .xml by mistake.
BINARY_SIGNATURES = (b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff")


def refuse_binary(content: bytes, *, expected: str, error=UploadRefused) -> None:
    """Text is expected (CSV, camt XML): refuse a zip, PDF, image or anything with NUL bytes."""
    head = content[:8192]
    if head.startswith(BINARY_SIGNATURES) or b"\x00" in content:
        raise error(
            _("Filen är inte en textfil. Välj en %(expected)s-fil.") % {"expected": expected}
        )


def check_xlsx(content: bytes, *, error=UploadRefused) -> None:
    """Before unpacking: the sizes the zip declares (which bound what zipfile will inflate)."""
    try:
        entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise error(_("Filen kunde inte läsas som XLSX.")) from None
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    limit = settings.KRETS_MAX_XLSX_UNPACKED_BYTES
    if (
        len(entries) > 10_000
        or unpacked > limit
        or (unpacked > 1024 * 1024 and unpacked / packed > settings.KRETS_MAX_XLSX_RATIO)
    ):
        raise error(
            _("XLSX-filen packas upp till %(size)s, mer än en medlemslista kan vara.")
            % {"size": filesizeformat(unpacked)}
        )


# What one payment can be: Payment.amount has 8 digits, 2 of them decimals.
MAX_AMOUNT = Decimal("999999.99")


def bank_amount(text: str | None, *, maximum: Decimal = MAX_AMOUNT, error=UploadRefused) -> Decimal:
    """A credit's amount: finite, positive, at most two decimals and within what a payment holds."""
    raw = (text or "").strip()
    # ISO 20022 amounts are plain decimals: no sign, exponent, NaN or Infinity.
    amount = Decimal(raw) if re.fullmatch(r"[0-9]{1,18}(\.[0-9]{1,5})?", raw) else None
    if (
        amount is None
        or amount <= 0
        or amount > maximum
        or amount != amount.quantize(Decimal("0.01"))
    ):
        raise error(_("Ett belopp i filen är ogiltigt: %(value)s") % {"value": raw[:30]})
    return amount
