"""Swish QR codes (Swish's QR code specification, C2B prefilled payment)."""

import io
import json
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


def swish_qr_png(payload: str) -> bytes:
    """The same code as a PNG, for mail (mail programs do not show inline SVG)."""
    buffer = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def swish_app_link(*, number: str, amount: Decimal, message: str) -> str:
    """A link that opens the Swish app on the phone with the payment filled in.

    The data is the JSON of Swish's "Prefilled" request (Swish QR code generator API, section
    4.1.2: `payee`, `amount`, `message`, each `{"value": ...}`, with `editable`, message at most
    70 characters) passed to the app's `swish://payment?data=` address. Amount and message are
    locked, as in the QR code.
    """
    data = {
        "version": 1,
        "payee": {"value": "".join(char for char in number if char.isdigit())},
        "amount": {"value": float(Decimal(amount).quantize(Decimal("0.01"))), "editable": False},
        "message": {"value": message[:70], "editable": False},
    }
    return "swish://payment?data=" + quote(json.dumps(data, separators=(",", ":")), safe="")
