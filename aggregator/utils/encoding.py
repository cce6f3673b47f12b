"""Bytes and text encodings: the one home of the project's charset and binary rules.

- ``binary_reason``: whether bytes are no text at all. One rule for a page over HTTP, a WARC
  record and a line of a dump: a NUL byte, or more than ``MAX_CONTROL_SHARE`` of the bytes
  looked at are control bytes (``CONTROLS``: C0 controls but tab, line feed, carriage return
  and the ones ``aggregator.utils.text`` reads as line breaks, and DEL; C1 bytes are mojibake,
  which is repaired, not binary).
- ``choose_encoding``: the encoding that reads a body whose declared one does not.
- ``repair_mojibake``: UTF-8 read as Windows-1252, repaired (saved page texts).
- ``codec_name``, ``fits``: an encoding's codec name, and whether bytes decode in it.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy
import ftfy.bad_codecs  # registers the "sloppy-windows-1252" codec
from ftfy.badness import is_bad
from w3lib.encoding import html_body_declared_encoding, resolve_encoding

# Control characters no page text holds (see the module's docstring).
CONTROLS = bytes([*range(0x00, 0x09), 0x0E, 0x0F, *range(0x10, 0x1C), 0x1F, 0x7F])
NOT_CONTROLS = bytes(b for b in range(256) if b not in CONTROLS)
CONTROL_CHARS = re.compile("[" + re.escape(CONTROLS.decode("ascii")) + "]")
MAX_CONTROL_SHARE = 0.01


def binary_reason(data: bytes, sample: int | None = None) -> str | None:
    """Why ``data`` (its first ``sample`` bytes, or all) is no text, or None."""
    looked = data if sample is None else data[:sample]
    nul = looked.find(b"\0")
    if nul >= 0:
        return f"NUL byte at byte {nul:,}"
    controls = len(looked.translate(None, NOT_CONTROLS))  # what is left: the controls
    if controls > MAX_CONTROL_SHARE * len(looked):
        return f"{controls:,} control bytes in {len(looked):,}"
    return None


# Single-byte code pages that write Latin script (charset-normalizer's names).
LATIN_SINGLE_BYTE = {
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
    "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16",
    "mac_latin2", "mac_roman", "cp850", "cp437",
}  # fmt: skip
SINGLE_BYTE = LATIN_SINGLE_BYTE | {"ascii", "cp1251", "koi8_r", "iso8859_5", "cp1253", "cp1256"}
CENTRAL_EUROPEAN = ("cs", "pl", "hu", "ro", "hr", "sk", "sl", "bs", "sr-latn")
_LANG = re.compile(rb"<html[^>]*?\blang\s*=\s*[\"']?([A-Za-z-]+)", re.IGNORECASE)


def codec_name(encoding: str) -> str:
    try:
        return codecs.lookup(resolve_encoding(encoding) or encoding).name.replace("-", "_")
    except LookupError:
        return encoding


def fits(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def choose_encoding(body: bytes, declared: str) -> str | None:
    """The encoding (a codec name) that reads ``body``, when ``declared`` does not (or
    misreads it); None when ``declared`` is right, and ``""`` when no encoding reads it."""
    name = codec_name(declared)
    if fits(body, name):
        if name in SINGLE_BYTE and not body.isascii() and fits(body, "utf-8"):
            return "utf_8"
        return None
    meta = html_body_declared_encoding(body)
    if meta and codec_name(meta) != name and fits(body, codec_name(meta)):
        return codec_name(meta)
    if fits(body, "utf-8"):
        return "utf_8"
    best = charset_normalizer.from_bytes(body).best()
    if best is None:
        return "cp1252" if fits(body, "cp1252") else ""
    guess = codec_name(best.encoding)
    if guess in LATIN_SINGLE_BYTE and fits(body, "cp1252"):
        lang = _LANG.search(body[:4096])
        central = lang is not None and lang.group(1).decode().lower().startswith(CENTRAL_EUROPEAN)
        return guess if central and guess != "cp1252" else "cp1252"
    return guess


# UTF-8 read as Windows-1252 always leaves a lead byte's letter (Â..ô) before a continuation
# byte's character (U+0080..U+00BF, or what cp1252 maps 0x80..0x9F to): a necessary condition,
# checked before ftfy's costlier is_bad. Searched in the text's UTF-8 bytes, where the lead
# letters all begin with 0xC3: a literal prefix the regex engine skips to quickly.
_CONTINUATION = sorted({bytes([b]).decode("sloppy-windows-1252") for b in range(0x80, 0xC0)})


MOJIBAKE_HINT = re.compile(
    rb"\xc3[\x82-\xb4](?:" + b"|".join(re.escape(c.encode()) for c in _CONTINUATION) + rb")"
)


# Mojibake repair only: keep the text's quotes, widths, ligatures and control characters.
REPAIR = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
)


def repair_mojibake(text: str) -> str:
    """Mojibake repair (UTF-8 read as Windows-1252), only on text that looks broken. Most
    texts are settled by ``isascii`` or the quick ``MOJIBAKE_HINT``; ftfy's badness check (a
    large regex) runs only on the rest, its repair only on broken ones. ftfy works line by
    line, so a text that is only partly broken keeps its good lines as they are."""
    if text.isascii() or MOJIBAKE_HINT.search(text.encode("utf-8", "replace")) is None:
        return text
    if not is_bad(text):
        return text
    # ftfy.fix_text fixes each line (with its "\n") as a segment of its own, and with REPAIR
    # an ASCII line comes out as it went in: only the other lines go through its Python steps
    # (the same text back, for a fraction of the cost where many lines are plain English)
    lines = text.split("\n")
    last = lines.pop()
    fixed = [
        line + "\n" if line.isascii() else ftfy.fix_text(line + "\n", REPAIR) for line in lines
    ]
    if last:
        fixed.append(last if last.isascii() else ftfy.fix_text(last, REPAIR))
    return "".join(fixed)
