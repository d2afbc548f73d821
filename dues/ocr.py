"""OCR payment references: Luhn ("10-modul") check digit, with a length digit."""


def luhn_digit(digits: str) -> str:
    """The check digit that makes `digits + check` pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def ocr_make(base: str) -> str:
    """base + length digit + check digit; the length digit is the full length modulo 10."""
    if not base.isdigit():
        raise ValueError("an OCR base is digits only")
    with_length = base + str((len(base) + 2) % 10)
    return with_length + luhn_digit(with_length)


def ocr_is_valid(ocr: str) -> bool:
    """Digits, a matching length digit and a matching Luhn check digit."""
    ocr = ocr.strip()
    if not ocr.isdigit() or not 2 <= len(ocr) <= 25:
        return False
    return int(ocr[-2]) == len(ocr) % 10 and luhn_digit(ocr[:-1]) == ocr[-1]


def dues_ocr(*, year: int, member_number: int) -> str:
    """The year and the member number: 2023 + 000042 + length + check = 12 digits."""
    return ocr_make(f"{year}{member_number:06d}")
