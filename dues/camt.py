"""Reading ISO 20022 bank-to-customer files: camt.054 notifications and camt.053 statements.

Versions 001.02 to 001.08 of both, recognised by the document's namespace and nothing else
(`urn:iso:std:iso:20022:tech:xsd:camt.054.001.02` …). Parsed with defusedxml, so a file with a
DTD, entity declarations or external references is refused rather than expanded.

What a Swedish bank sends, and what we do with it:

- One entry (`Ntry`) is one booking on the account. A bankgiro deposit is one entry holding a
  batch of payments (`NtryDtls/Btch/NbOfTxs`, `NtryDtls/TxDtls` repeated). Each payment is read
  at its own amount: `TxDtls/Amt` (001.04 and later), else `TxDtls/AmtDtls/TxAmt/Amt`, else
  `TxDtls/AmtDtls/InstdAmt/Amt` (001.02 and 001.03 have no `TxDtls/Amt`). The entry's amount
  is used only for an entry that holds exactly one transaction. A batch whose transactions do
  not add up to its entry refuses the whole file: booking it would book money nobody sent.
- The OCR is in `RmtInf/Strd/CdtrRefInf/Ref` (Bankgirot, SEB, Swedbank, Handelsbanken, Nordea
  for OCR payments) or, for a payment made with a message, in `RmtInf/Ustrd`. The payer is
  `RltdPties/Dbtr/Nm` (001.08: `RltdPties/Dbtr/Pty/Nm`).
- Credits (`CRDT`) are payments. Debits (`DBIT`: bank fees, outgoing payments) are never dues;
  a debit that returns or reverses a payment (`RvslInd` true, or `RtrInf`) is a return, which
  the booking service turns into a reversal of the payment it returns.
- An entry in another currency, of zero, or of an absurd size is refused on its own (reported,
  not booked); an amount that is not a valid ISO 20022 amount for kronor (negative, NaN,
  Infinity, more than two decimals) means the file is broken and refuses the whole file.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring
from django.conf import settings
from django.utils.translation import gettext as _

from krets.templatetags.krets_format import format_money
from krets.uploads import check_size, refuse_binary

# Root element under Document for each kind, and the container of entries within it.
KINDS = {
    "camt.054": ("BkToCstmrDbtCdtNtfctn", "Ntfctn"),
    "camt.053": ("BkToCstmrStmt", "Stmt"),
}
NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.001\.0([2-8])")
# No membership fee or gift to a local chapter is a million kronor: such an amount is a typo
# or someone else's file, and is shown to the kassör rather than booked.
MAX_AMOUNT = Decimal("1000000")
# An ISO 20022 amount (xs:decimal, at least zero): digits, an optional point and decimals.
AMOUNT = re.compile(r"[0-9]{1,18}(?:\.[0-9]{1,5})?")
CURRENCY = "SEK"


class BankFileError(ValueError):
    """A file that is not a camt.054/053 we can read; the message is for the user."""


@dataclass(frozen=True)
class Credit:
    """One transaction to book: a payment received, or (`is_return`) one sent back."""

    bank_ref: str
    booked_on: datetime.date
    amount: Decimal
    reference: str
    payer: str
    is_return: bool = False
    return_reason: str = ""


@dataclass
class BankStatement:
    kind: str  # "camt.054" or "camt.053"
    version: str  # "001.02" … "001.08"
    credits: list[Credit] = field(default_factory=list)
    # Entries not booked, each with a Swedish sentence saying which and why.
    refused: list[str] = field(default_factory=list)
    debits: int = 0  # bank fees and other debits that are not returns of a payment


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
    statement = read_bank_file(content)
    return statement.kind, statement.credits


def read_bank_file(content: bytes) -> BankStatement:
    """Every transaction of a camt.054/053 file, or BankFileError with a Swedish message."""
    check_size(content, settings.KRETS_MAX_BANK_FILE_BYTES, error=BankFileError)
    refuse_binary(content, expected="camt-XML", error=BankFileError)
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError) as error:
        raise BankFileError(
            _("Filen kunde inte läsas som XML (%(error)s).") % {"error": error}
        ) from None
    namespace = root.tag[1:].split("}", 1)[0] if root.tag.startswith("{") else ""
    match = NAMESPACE.fullmatch(namespace)
    if _local(root.tag) != "Document" or match is None:
        raise BankFileError(
            _(
                "Filen är inte en camt.054- eller camt.053-fil från banken (ISO 20022, "
                "version 001.02–001.08)."
            )
        )
    kind = match.group(1)
    statement = BankStatement(kind=kind, version=f"001.0{match.group(2)}")
    body_name, container_name = KINDS[kind]
    body = _child(root, body_name)
    if body is None or not body.tag.startswith("{" + namespace + "}"):
        raise BankFileError(_("Filen saknar innehåll (%(element)s).") % {"element": body_name})
    position = 0
    for container in _children(body, container_name):
        account_currency = _text(container, "Acct", "Ccy")
        for entry in _children(container, "Ntry"):
            position += 1
            _read_entry(statement, entry, container, position, account_currency)
    return statement


def _entry_label(entry, position: int) -> str:
    ref = _text(entry, "NtryRef") or _text(entry, "AcctSvcrRef")
    if ref:
        return _("post %(n)s (referens %(ref)s)") % {"n": position, "ref": ref}
    return _("post %(n)s") % {"n": position}


def _amount(element, label: str) -> tuple[Decimal, str]:
    """(amount, currency) of an `Amt` element; a value no bank would send refuses the file."""
    if element is None:
        raise BankFileError(_("I %(entry)s saknas belopp.") % {"entry": label})
    text = (element.text or "").strip()
    if not AMOUNT.fullmatch(text):
        raise BankFileError(
            _(
                "Ett belopp i filen är ogiltigt: i %(entry)s är beloppet ”%(value)s” inget "
                "giltigt belopp (ett tal utan tecken, med punkt som decimaltecken)."
            )
            % {"entry": label, "value": text[:40]}
        )
    amount = Decimal(text)
    if amount != amount.quantize(Decimal("0.01")):
        raise BankFileError(
            _(
                "Ett belopp i filen är ogiltigt: i %(entry)s har beloppet %(value)s fler än "
                "två decimaler."
            )
            % {"entry": label, "value": text}
        )
    return amount.quantize(Decimal("0.01")), element.get("Ccy", "").strip().upper()


def _date(entry, label: str) -> datetime.date:
    for element in ("BookgDt", "ValDt"):
        value = _text(entry, element, "Dt") or _text(entry, element, "DtTm")[:10]
        if value:
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                break
    raise BankFileError(_("I %(entry)s saknas ett giltigt bokföringsdatum.") % {"entry": label})


def _is_true(value: str) -> bool:
    return value.lower() in {"true", "1"}


def _transaction_amount(tx, label: str):
    """The amount of one transaction of a batch, or None when the transaction states none."""
    for path in (("Amt",), ("AmtDtls", "TxAmt", "Amt"), ("AmtDtls", "InstdAmt", "Amt")):
        element = _child(tx, *path)
        if element is not None:
            return _amount(element, label)
    return None


def _read_entry(statement, entry, container, position: int, account_currency: str) -> None:
    label = _entry_label(entry, position)
    status = _text(entry, "Sts") or _text(entry, "Sts", "Cd")
    if status and status != "BOOK":
        return  # pending or information only: the bank sends it again once booked
    direction = _text(entry, "CdtDbtInd")
    if direction not in {"CRDT", "DBIT"}:
        raise BankFileError(_("I %(entry)s saknas kredit eller debet.") % {"entry": label})
    reversal = _is_true(_text(entry, "RvslInd"))
    entry_amount, entry_currency = _amount(_child(entry, "Amt"), label)
    booked_on = _date(entry, label)
    transactions = [
        tx for details in _children(entry, "NtryDtls") for tx in _children(details, "TxDtls")
    ]
    # NtryDtls repeats, one per batch (an entry may hold several deposits): each batch's
    # count is checked against its own transactions, not the first batch's against all.
    for details in _children(entry, "NtryDtls"):
        stated = _text(details, "Btch", "NbOfTxs")
        found = len(_children(details, "TxDtls"))
        if stated and found and (not stated.isdigit() or int(stated) != found):
            raise BankFileError(
                _("I %(entry)s anger banken %(stated)s betalningar men filen innehåller %(found)s.")
                % {"entry": label, "stated": stated, "found": found}
            )
    # Each transaction: (amount, currency, direction), before anything is refused or booked.
    amounts = []
    if len(transactions) <= 1:
        amounts.append((entry_amount, entry_currency, direction))
    else:
        total = Decimal(0)
        for index, tx in enumerate(transactions, start=1):
            tx_label = _("betalning %(i)s i %(entry)s") % {"i": index, "entry": label}
            found = _transaction_amount(tx, tx_label)
            if found is None:
                raise BankFileError(_("%(tx)s saknar belopp.") % {"tx": _first_upper(tx_label)})
            amount, currency = found
            tx_direction = _text(tx, "CdtDbtInd") or direction
            total += amount if tx_direction == direction else -amount
            amounts.append((amount, currency or entry_currency, tx_direction))
        if total != entry_amount:
            raise BankFileError(
                _("Betalningarna i %(entry)s summerar till %(sum)s men posten är på %(total)s.")
                % {"entry": label, "sum": format_money(total), "total": format_money(entry_amount)}
            )
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
    for index, (tx, (amount, currency, tx_direction)) in enumerate(
        zip(transactions or [None], amounts, strict=True), start=1
    ):
        currency = currency or entry_currency or account_currency or CURRENCY
        returned = _child(tx, "RtrInf") is not None
        if tx_direction == "DBIT" and not (reversal or returned):
            statement.debits += 1  # a bank fee or an outgoing payment: never dues
            continue
        if tx_direction == "CRDT" and (reversal or returned):
            continue  # money back for a debit of ours (a fee refunded): not dues either
        where = (
            label
            if len(amounts) == 1
            else _("betalning %(i)s i %(entry)s")
            % {
                "i": index,
                "entry": label,
            }
        )
        if currency != CURRENCY:
            statement.refused.append(
                _("%(where)s är i %(currency)s, inte i kronor: inte bokförd.")
                % {"where": _first_upper(where), "currency": currency}
            )
            continue
        if amount == 0:
            statement.refused.append(
                _("%(where)s är på 0 kr: inte bokförd.") % {"where": _first_upper(where)}
            )
            continue
        if amount > MAX_AMOUNT:
            statement.refused.append(
                _("%(where)s är på %(amount)s, orimligt mycket för en avgift: inte bokförd.")
                % {"where": _first_upper(where), "amount": format_money(amount)}
            )
            continue
        statement.credits.append(
            _credit(tx, container, entry_ref, position, index, booked_on, amount, tx_direction)
        )


def _credit(tx, container, entry_ref, position, index, booked_on, amount, direction) -> Credit:
    reference = ""
    for structured in _children(_child(tx, "RmtInf"), "Strd"):
        reference = _text(structured, "CdtrRefInf", "Ref")
        if reference:
            break
    reference = (
        reference
        or " ".join(u.text.strip() for u in _children(_child(tx, "RmtInf"), "Ustrd") if u.text)
        or _text(tx, "Refs", "EndToEndId").replace("NOTPROVIDED", "")
    )
    payer = (
        _text(tx, "RltdPties", "Dbtr", "Nm")
        or _text(tx, "RltdPties", "Dbtr", "Pty", "Nm")
        or _text(tx, "RltdPties", "UltmtDbtr", "Nm")
        or _text(tx, "RltdPties", "UltmtDbtr", "Pty", "Nm")
    )
    tx_ref = _text(tx, "Refs", "AcctSvcrRef")
    if tx_ref:
        bank_ref = tx_ref
    elif entry_ref:
        bank_ref = f"{entry_ref}/{index}"
    else:
        # No reference from the bank: the facts of the transaction identify it.
        account = _text(container, "Acct", "Id", "IBAN") or _text(
            container, "Acct", "Id", "Othr", "Id"
        )
        facts = f"{account}|{booked_on}|{amount}|{reference}|{payer}|{position}|{index}"
        bank_ref = "sha256:" + hashlib.sha256(facts.encode()).hexdigest()
    return Credit(
        bank_ref=bank_ref[:200],
        booked_on=booked_on,
        amount=amount,
        reference=" ".join(reference.split())[:140],
        payer=payer[:140],
        is_return=direction == "DBIT",
        return_reason=_text(tx, "RtrInf", "Rsn", "Cd") or _text(tx, "RtrInf", "Rsn", "Prtry"),
    )


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]
