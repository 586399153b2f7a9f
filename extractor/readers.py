"""Files, folders and record files → :class:`RawDocument`, streaming.

Every input yields either a ``RawDocument`` or a :class:`Failure` naming the file (and
line or record) that could not be read; one bad input never stops the batch.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from .errors import InputError
from .pdftext import PDFTextError, pdf_text
from .models import ContentKind, Failure, RawDocument

#: File endings we read, and what their content is.
#: The path that means "read one article from standard input".
STDIN = "-"
KINDS: dict[str, ContentKind] = {
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
RECORD_SUFFIXES = (".jsonl", ".csv")
#: PDF releases (IR sites, SEC exhibits): their text, paragraph by paragraph (see pdftext.py).
PDF_SUFFIX = ".pdf"
#: Every suffix a folder's files are read for; others are counted as skipped.
READ_SUFFIXES = (*KINDS, *RECORD_SUFFIXES, PDF_SUFFIX)

#: Where a record file keeps the article text, in order of preference.
TEXT_FIELDS = ("text", "body", "content", "summary", "articleBody")
URL_FIELDS = ("url", "link")
TITLE_FIELDS = ("title", "headline")
DATE_FIELDS = ("date", "published", "datePublished", "pubDate")

DEFAULT_MAX_BYTES = 20_000_000  # a press release is rarely over 1 MB; 20 MB means a mistake

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_LOOKS_HTML = re.compile(r"^\s*<(?:!doctype|html|head|body|div|p|article|section)\b", re.I)


def iter_inputs(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES, skipped: Counter[str] | None = None
) -> Iterator[RawDocument | Failure]:
    """Yield one item per article (or per failure) under ``paths``, files in sorted order.

    Files of other types inside a folder are not read; ``skipped`` (when given) counts them by
    suffix, for the run's summary ("2 .pdf, 1 .docx not read")."""
    for given in paths:
        if str(given) == STDIN:
            yield from read_stdin(sys.stdin.buffer, max_bytes=max_bytes)
            continue
        path = Path(given)
        if path.is_dir():
            visible = [
                p
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
            files = sorted(p for p in visible if p.suffix.lower() in READ_SUFFIXES)
            if skipped is not None:
                skipped.update(p.suffix.lower() or "(no suffix)" for p in visible if p.suffix.lower() not in READ_SUFFIXES)
            if not files:
                yield Failure(str(given), "read", "no .html/.htm/.txt/.md/.pdf/.jsonl/.csv files in folder")
            for file in files:
                yield from read_file(file, max_bytes=max_bytes)
        elif path.is_file():
            yield from read_file(path, max_bytes=max_bytes)
        else:
            yield Failure(str(given), "read", "no such file or folder")


def read_file(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Failure]:
    # a file's identity is its resolved path: the same file named relatively and absolutely is one document
    source = str(path.resolve())
    suffix = path.suffix.lower()
    try:
        if suffix not in KINDS and suffix not in RECORD_SUFFIXES and suffix != PDF_SUFFIX:
            raise InputError(source, f"unsupported file type {suffix or '(none)'!r}")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(source, f"file is {size:,} bytes, over the {max_bytes:,}-byte cap (--max-bytes)")
        data = path.read_bytes()
        if suffix in RECORD_SUFFIXES:
            text = decode(data, source)
            if suffix == ".jsonl":
                yield from _jsonl_records(text, source)
            else:
                yield from _csv_records(text, source)
            return
        if suffix == PDF_SUFFIX:
            try:
                yield RawDocument(source=source, content=pdf_text(data), kind="text")
            except PDFTextError as exc:
                raise InputError(source, str(exc)) from None
            return
        kind = KINDS[suffix]
        text = decode(data, source, html=kind == "html")
        if not text.strip():
            raise InputError(source, "file is empty")
        yield RawDocument(source=source, content=text, kind=kind)
    except InputError as exc:
        yield Failure(exc.source, "read", exc.message)
    except OSError as exc:
        yield Failure(source, "read", f"cannot read file: {exc.strerror or exc}")


def count_inputs(paths: Iterable[str | Path]) -> int:
    """About how many documents ``iter_inputs`` will yield (for a progress bar): one per article
    file, one per non-blank line of a JSONL file, one per row of a CSV file after its header."""
    total = 0
    for given in paths:
        if str(given) == STDIN:
            total += 1
            continue
        path = Path(given)
        files = [path] if path.is_file() else [
            p for p in path.rglob("*")
            if p.is_file() and p.suffix.lower() in READ_SUFFIXES and not any(part.startswith(".") for part in p.relative_to(path).parts)
        ] if path.is_dir() else []
        for file in files:
            suffix = file.suffix.lower()
            try:
                if suffix == ".jsonl":
                    with file.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                elif suffix == ".csv":
                    with file.open(encoding="utf-8", errors="replace", newline="") as fh:
                        total += max(0, sum(1 for _ in csv.reader(fh)) - 1)
                else:
                    total += 1
            except (OSError, csv.Error):
                continue
    return total


def read_stdin(stream: BinaryIO, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawDocument | Failure]:
    """One article piped in (``curl … | extractor run -``): HTML when it opens with a tag, else text.
    Its identity is its content ("stdin:" and a hash), so each article piped in is its own document."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Failure(STDIN, "read", f"stdin is over the {max_bytes:,}-byte cap (--max-bytes)")
        return
    source = f"stdin:{hashlib.sha256(data).hexdigest()[:16]}"
    html = bool(re.match(rb"\s*(?:<!doctype|<html|<head|<body|<\w)", data[:512], re.IGNORECASE))
    try:
        text = decode(data, source, html=html)
        if not text.strip():
            raise InputError(source, "stdin is empty")
    except InputError as exc:
        yield Failure(exc.source, "read", exc.message)
        return
    yield RawDocument(source=source, content=text, kind="html" if html else "text")


def decode(data: bytes, source: str, *, html: bool = False) -> str:
    """Bytes → str: BOM, then an HTML meta charset, then strict UTF-8."""
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(source, "binary file (NUL bytes), not text")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _strict(data, encoding, source)
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            declared = match.group(1).decode("ascii", "replace").lower()
            try:
                codecs.lookup(declared)
            except LookupError:
                raise InputError(source, f"unknown charset {declared!r} declared in <meta>") from None
            return _strict(data, declared, source)
    return _strict(data, "utf-8", source)


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            source, f"not valid {encoding} at byte {exc.start} (save the file as UTF-8)"
        ) from None


def _pick(record: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _record_document(record: dict[str, Any], source: str) -> RawDocument:
    text = _pick(record, TEXT_FIELDS)
    if text is None:
        raise InputError(source, f"no text in any of the fields {', '.join(TEXT_FIELDS)}")
    return RawDocument(
        source=source,
        content=text,
        kind="html" if _LOOKS_HTML.match(text) else "text",
        url=_pick(record, URL_FIELDS),
        title=_pick(record, TITLE_FIELDS),
        published=_pick(record, DATE_FIELDS),
    )


def _jsonl_records(text: str, source: str) -> Iterator[RawDocument | Failure]:
    number = 0
    # JSON Lines ends records at "\n" (and "\r\n") only: str.splitlines() would also break them at the
    # U+2028, U+2029 and U+0085 that JSON allows raw inside a string
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        number += 1
        record_source = f"{source}#{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Failure(record_source, "read", f"line {line_no}: invalid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(record, dict):
            yield Failure(record_source, "read", f"line {line_no}: expected a JSON object")
            continue
        try:
            yield _record_document(record, record_source)
        except InputError as exc:
            yield Failure(record_source, "read", f"line {line_no}: {exc.message}")
    if number == 0:
        yield Failure(source, "read", "file is empty")


def _csv_records(text: str, source: str) -> Iterator[RawDocument | Failure]:
    csv.field_size_limit(2**31 - 1)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = reader.fieldnames or []
    if not fields:
        yield Failure(source, "read", "file is empty")
        return
    if not any(f in fields for f in TEXT_FIELDS):
        yield Failure(
            source, "read", f"no text column: expected one of {', '.join(TEXT_FIELDS)}, found {', '.join(fields)}"
        )
        return
    try:
        for number, row in enumerate(reader, start=1):
            record_source = f"{source}#{number}"
            try:
                yield _record_document(row, record_source)
            except InputError as exc:
                yield Failure(record_source, "read", f"line {reader.line_num}: {exc.message}")
    except csv.Error as exc:
        yield Failure(source, "read", f"line {reader.line_num}: malformed CSV: {exc}")
