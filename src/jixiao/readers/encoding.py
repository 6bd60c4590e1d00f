"""Decode the bytes of a text-like input file, detecting its encoding.

Detected, never assumed: UTF-8 (with or without BOM), UTF-16 (BOM, or the NUL pattern of
BOM-less UTF-16 LE/BE), then GB18030 (a superset of GBK/GB2312), and charset-normalizer as a last
resort. Content that is not text at all (NUL bytes, control characters) raises
:class:`~jixiao.errors.InputError` ``binary file, not a form``.
"""

from __future__ import annotations

import codecs

from jixiao.errors import InputError

# C0 control characters other than tab, newline, carriage return, form feed, vertical tab, escape.
_CONTROL = set(range(0, 32)) - {9, 10, 11, 12, 13, 27}


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """Recognise BOM-less UTF-16 by the NUL byte in every other position (ASCII-heavy text)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_nuls > half * 0.1 and odd_nuls > 4 * even_nuls:
        enc = "utf-16-le"
    elif even_nuls > half * 0.1 and even_nuls > 4 * odd_nuls:
        enc = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return (text, enc) if _plausible(text) else None


def _plausible(text: str) -> bool:
    """Mostly CJK, ASCII printable, whitespace and CJK/full-width punctuation."""
    sample = text[:4096]
    if not sample:
        return False
    ok = sum(
        1 for ch in sample
        if ch.isprintable() and (ord(ch) < 0x250 or 0x2000 <= ord(ch) <= 0x206F or 0x3000 <= ord(ch) <= 0x9FFF
                                 or 0xFF00 <= ord(ch) <= 0xFFEF or 0x2100 <= ord(ch) <= 0x22FF)
        or ch in "\t\n\r"
    )
    return ok >= 0.95 * len(sample)


def looks_binary(text: str) -> bool:
    """True when decoded text still carries NULs or many control characters."""
    if not text:
        return False
    sample = text[:65536]
    if "\x00" in sample:
        return True
    bad = sum(1 for ch in sample if ord(ch) in _CONTROL or ch == "\ufffd")
    return bad > max(2, len(sample) // 200)


def decode_bytes(data: bytes, path: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``. Raises InputError for empty or binary content."""
    if not data:
        raise InputError(path, "empty file")
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        candidates = ["utf-32"]
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        candidates = ["utf-16"]
    else:
        candidates = []
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            raise InputError(path, f"cannot decode as {enc}: {exc.reason} at byte {exc.start}") from None
        return _checked(text, enc, path)

    got16 = _utf16_without_bom(data)
    if got16 is not None and not looks_binary(got16[0]):
        return got16
    if b"\x00" in data[:65536]:
        raise InputError(path, "binary file, not a form")
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return _checked(text, enc, path)
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # noqa: BLE001 - an optional helper; any failure means "undetected"
        best = None
    if best is not None and best.encoding:
        return _checked(str(best), best.encoding, path)
    raise InputError(path, "cannot detect the text encoding (tried UTF-8, UTF-16, GB18030)")


def _checked(text: str, enc: str, path: str | None) -> tuple[str, str]:
    if looks_binary(text):
        raise InputError(path, "binary file, not a form")
    return text, enc
