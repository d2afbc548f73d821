"""Reading ISO 20022 bank-to-customer files: camt.054 notifications and camt.053 statements.

Parsed with defusedxml, so a file with a DTD, entity declarations or external references is
refused rather than expanded. Only incoming credits (CRDT) in SEK are returned.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.utils.translation import gettext as _

from krets.uploads import MAX_AMOUNT, bank_amount, check_size, refuse_binary

# Root element under Document for each kind, and the container of entries within it.
KINDS = {
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
    "camt.053": ("BkToCstmrStmt", "Stmt"),
}
# An entry may carry a batch of many payments; each single payment must fit MAX_AMOUNT.
MAX_ENTRY_AMOUNT = Decimal("99999999.99")


class BankFileError(ValueError):
    """A file that is not a camt.054/053 we can read; the message is for the user."""


@dataclass(frozen=True)
class Credit:
    bank_ref: str
    booked_on: datetime.date
    amount: Decimal
    reference: str
    payer: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element, *path: str):
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _children(element, name: str) -> list:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _text(element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def parse_bank_file(content: bytes) -> tuple[str, list[Credit]]:
    """(kind, credits) from a camt file, or BankFileError with a Swedish message."""
    check_size(content, settings.KRETS_MAX_BANK_FILE_BYTES, error=BankFileError)
    refuse_binary(content, expected="camt-XML", error=BankFileError)
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BankFileError(
            _("Filen kunde inte läsas som XML (%(error)s).") % {"error": error}
        ) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    kind = next((k for k in KINDS if f":{k}." in namespace), None)
    if _local(root.tag) != "Document" or kind is None:
        raise BankFileError(
            _("Filen är inte en camt.054- eller camt.053-fil från banken (ISO 20022).")
        )
    body_name, container_name = KINDS[kind]
    body = _child(root, body_name)
    if body is None:
        raise BankFileError(_("Filen saknar innehåll (%(element)s).") % {"element": body_name})
    credits: list[Credit] = []
    for container in _children(body, container_name):
        for number, entry in enumerate(_children(container, "Ntry"), start=1):
            credits.extend(_entry_credits(entry, container, number))
    return kind, credits


def _amount(element, maximum: Decimal = MAX_AMOUNT) -> tuple[Decimal, str]:
    if element is None:
        raise BankFileError(_("En post i filen saknar belopp."))
    amount = bank_amount(element.text, maximum=maximum, error=BankFileError)
    return amount, element.get("Ccy", "")


def _date(entry) -> datetime.date:
    value = _text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm")[:10]
    value = value or _text(entry, "ValDt", "Dt")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise BankFileError(_("En post i filen saknar giltigt bokföringsdatum.")) from None


def _entry_credits(entry, container, number: int) -> list[Credit]:
    if _text(entry, "CdtDbtInd") != "CRDT" or _text(entry, "RvslInd").lower() == "true":
        return []
    booked_on = _date(entry)
    currency = _amount(_child(entry, "Amt"), MAX_ENTRY_AMOUNT)[1]
    if currency and currency != "SEK":
        return []
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    transactions = [
        tx for details in _children(entry, "NtryDtls") for tx in _children(details, "TxDtls")
    ]
    credits = []
    for index, tx in enumerate(transactions or [None], start=1):
        # Without its own amount a transaction is the whole entry, and must fit one payment.
        tx_amount = _child(tx, "Amt")
        amount = _amount(tx_amount if tx_amount is not None else _child(entry, "Amt"))[0]
        reference = (
            _text(tx, "RmtInf", "Strd", "CdtrRefInf", "Ref")
            or _text(tx, "RmtInf", "Ustrd")
            or _text(tx, "Refs", "EndToEndId").replace("NOTPROVIDED", "")
        )
        payer = _text(tx, "RltdPties", "Dbtr", "Nm") or _text(tx, "RltdPties", "Dbtr", "Pty", "Nm")
        tx_ref = _text(tx, "Refs", "AcctSvcrRef") or _text(tx, "Refs", "TxId")
        if tx_ref:
            bank_ref = tx_ref
        elif entry_ref:
            bank_ref = f"{entry_ref}/{index}"
        else:
            # No reference from the bank: the facts of the transaction identify it.
            account = _text(container, "Acct", "Id", "IBAN") or _text(container, "Id")
            facts = f"{account}|{booked_on}|{amount}|{reference}|{payer}|{number}|{index}"
            bank_ref = "sha256:" + hashlib.sha256(facts.encode()).hexdigest()
        credits.append(
            Credit(
                bank_ref=bank_ref[:200],
                booked_on=booked_on,
                amount=amount,
                reference=reference[:140],
                payer=payer[:140],
            )
        )
    return credits
