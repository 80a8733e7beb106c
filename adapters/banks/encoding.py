"""Turning a text statement's bytes into ``str``: BOM, UTF-8, else the likeliest code page.

Legacy exports are mostly Windows-1250 (Central Europe) or Windows-1252 (Western Europe); the choice
between them is left to charset-normalizer, limited to the code pages banks actually use.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from application.statement import StatementRejected

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_CODE_PAGES = ["cp1252", "cp1250", "iso8859_15", "iso8859_2", "cp1251", "cp850", "cp852"]


def decode_statement(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, encoding used). An explicit ``encoding`` must fit, else the file is refused."""
    if encoding:
        return _decode_as(data, encoding), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=LEGACY_CODE_PAGES, explain=False).best()
    if best is None:
        raise StatementRejected(
            "The file's text encoding could not be recognised (not UTF-8 nor a Windows/ISO code "
            "page). Export it again as UTF-8."
        )
    return _decode_as(data, best.encoding), best.encoding


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise StatementRejected(f"{encoding!r} is not a known text encoding.") from None
    except UnicodeDecodeError as error:
        raise StatementRejected(
            f"The file is not valid {encoding} text (byte {error.start} cannot be read). "
            "Check the encoding chosen for this account, or export the file as UTF-8."
        ) from None
