"""Text of a PDF press release, paragraph by paragraph: the home of pdfminer.six.

IR sites and SEC exhibits publish releases as PDFs. pdfminer's layout analysis groups the
characters of a page into text boxes; a box is a paragraph. Lines inside a box are joined with a
space (a hyphen at a line's end that splits a word is dropped), boxes are separated by a blank
line, which is what the text cleaner reads as a paragraph break.
"""

from __future__ import annotations

import io
import re


__all__ = ["PDFTextError", "pdf_text"]

#: A word split across two lines: "immuno-\ntherapy" → "immunotherapy" (but "CD19-\ndirected" keeps its hyphen).
SPLIT_WORD = re.compile(r"(?<=[a-z])-\n(?=[a-z])")


class PDFTextError(ValueError):
    """The bytes are not a PDF whose text can be read (damaged, encrypted, images only)."""


def pdf_text(data: bytes, *, max_pages: int = 200) -> str:
    """The text of ``data`` with one blank line between paragraphs; raises :class:`PDFTextError`."""
    from pdfminer.high_level import extract_pages  # loaded on the first PDF, not on every start
    from pdfminer.layout import LAParams, LTTextContainer
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    paragraphs: list[str] = []
    try:
        for page in extract_pages(io.BytesIO(data), laparams=LAParams(), maxpages=max_pages):
            for element in page:
                if not isinstance(element, LTTextContainer):
                    continue
                text = SPLIT_WORD.sub("", element.get_text().strip())
                text = " ".join(line.strip() for line in text.splitlines() if line.strip())
                if text:
                    paragraphs.append(text)
    except (PDFSyntaxError, PSException) as exc:
        raise PDFTextError(f"not a readable PDF: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types on damaged or encrypted files
        raise PDFTextError(f"not a readable PDF: {type(exc).__name__}: {exc}") from None
    if not paragraphs:
        raise PDFTextError("the PDF has no text (scanned images need OCR)")
    return "\n\n".join(paragraphs)
