"""Characters a name or a title must never carry."""

import re

# C0 controls (tab and line breaks become a space in a one-line field), DEL and C1 controls;
# the bidirectional marks, embeddings, overrides and isolates that can make a name read backwards
# ("Trojan Source"): U+200E/F, U+061C, U+202A–U+202E, U+2066–U+2069.
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]+")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_line(value: str) -> str:
    """One line of text without control or bidirectional-override characters, trimmed."""
    return _UNSAFE.sub("", _LINE_BREAKS.sub(" ", value)).strip()
