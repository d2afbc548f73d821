"""Swish QR codes (Swish's QR code specification, C2B prefilled payment)."""

from decimal import Decimal
from urllib.parse import quote

import segno

# Bit mask of what the payer may edit: 0 locks payee, amount and message.
LOCKED = 0


def swish_payload(*, number: str, amount: Decimal, message: str, lock_mask: int = LOCKED) -> str:
    """`C<payee>;<amount with decimal comma>;<URL-encoded message>;<lock mask>`."""
    payee = "".join(char for char in number if char.isdigit())
    amount_text = f"{Decimal(amount):.2f}".replace(".", ",")
    return f"C{payee};{amount_text};{quote(message, safe='')};{lock_mask}"


def swish_qr_svg(payload: str) -> str:
    """An inline SVG (no XML declaration) that the Swish app scans."""
    qr = segno.make(payload, error="m", micro=False)
    return qr.svg_inline(scale=4, border=4, dark="#000", light="#fff")
