"""First look at an uploaded file: refuse what no statement can be before any parser touches it.

Every byte is hostile. These checks are cheap and bounded: the size is a length, binary-ness is
judged on a sample, and XML declarations that could expand or fetch anything are refused outright.
"""

from __future__ import annotations

import re

from application.statement import MAX_STATEMENT_BYTES, StatementRejected

_SAMPLE = 64 * 1024
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1a")  # \x1a: DOS end-of-file, seen in old exports
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BINARY_SHARE = 0.02  # a text export has essentially no stray control bytes
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def check_statement_bytes(data: bytes) -> None:
    """Refuse empty, oversized and binary files with a reason a person can act on."""
    if not data.strip():
        raise StatementRejected("The file is empty.")
    if len(data) > MAX_STATEMENT_BYTES:
        size_mib = len(data) / (1024 * 1024)
        limit_mib = MAX_STATEMENT_BYTES // (1024 * 1024)
        raise StatementRejected(
            f"The file is {size_mib:.0f} MiB; statements larger than {limit_mib} MiB are refused."
        )
    if data.startswith(_UTF16_BOMS):
        return
    for sample in (data[:_SAMPLE], data[-_SAMPLE:]):
        if _looks_binary(sample):
            raise StatementRejected(
                "The file looks like binary data (an image, archive or spreadsheet), not a text "
                "statement. Export it from your bank as CSV, OFX, CAMT.053, MT940 or QIF."
            )


def _looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in _TEXT_CONTROLS)
    if controls > max(16, len(sample) * _BINARY_SHARE):
        return True
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # Legacy 8-bit text has a few high bytes between ASCII; random data is mostly high bytes.
        if error.start < len(sample) - 4:
            high = sum(1 for byte in sample if byte >= 0x80)
            return high > len(sample) * 0.3
    return False


def refuse_xml_declarations(data: bytes) -> None:
    """No statement format needs a DTD; one is how entity bombs and external entities get in."""
    if _DTD.search(data):
        raise StatementRejected(
            "The file declares a DTD or XML entities (<!DOCTYPE>/<!ENTITY>). Bank statements never "
            "need them, and they can be used to expand or fetch content, so the file is refused."
        )
