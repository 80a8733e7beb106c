"""Which statement format a file is in, judged from its first bytes (and its name as a tiebreak)."""

from __future__ import annotations

import re

from application.statement import StatementRejected

from .guard import check_statement_bytes

_HEAD = 8192
_MT940 = re.compile(rb"^:20:", re.MULTILINE)
_MT940_BODY = re.compile(rb"^:(25|60F|60M|61):", re.MULTILINE)
_QIF = re.compile(rb"^\s*!(type|account|option|clear)", re.IGNORECASE | re.MULTILINE)

FORMATS = ("csv", "ofx", "camt.053", "mt940", "qif")
_BY_SUFFIX = {".ofx": "ofx", ".qfx": "ofx", ".sta": "mt940", ".940": "mt940", ".qif": "qif"}


def detect_format(data: bytes, filename: str | None = None) -> str:
    """One of ``FORMATS``, or ``StatementRejected`` for a file that is none of them."""
    check_statement_bytes(data)
    head = data[:_HEAD].lstrip(b"\xef\xbb\xbf \t\r\n")
    by_content = _by_content(head, head.lower())
    if by_content:
        return by_content
    name = (filename or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    return _BY_SUFFIX.get(suffix, "csv")


def _by_content(head: bytes, lower: bytes) -> str | None:
    if lower.startswith(b"ofxheader") or b"<ofx>" in lower or b"<?ofx" in lower:
        return "ofx"
    if lower.startswith(b"<"):
        if b"camt.053" in lower:
            return "camt.053"
        kind = re.search(rb"camt\.0\d\d|pain\.0\d\d", lower)
        found = f" ({kind.group(0).decode()})" if kind else ""
        raise StatementRejected(
            f"The file is XML{found} but not a CAMT.053 account statement or OFX. Download the "
            "CAMT.053 statement from your bank."
        )
    if _QIF.search(head):
        return "qif"
    if (_MT940.search(head) and _MT940_BODY.search(head)) or head.startswith(b"{1:"):
        return "mt940"
    return None
