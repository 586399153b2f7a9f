import json
from pathlib import Path

from extractor.models import Failure, RawDocument
from extractor.readers import iter_inputs


def _items(tmp_path, **kwargs):
    return list(iter_inputs([tmp_path], **kwargs))


def test_folder_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.md").write_text("# Two\n\nBody two.", encoding="utf-8")
    (tmp_path / "one.txt").write_text("Body one.", encoding="utf-8")
    (tmp_path / "three.html").write_text("<html><body><p>Three</p></body></html>", encoding="utf-8")
    (tmp_path / "ignored.docx").write_bytes(b"PK\x03\x04")
    items = _items(tmp_path)
    assert [type(i) for i in items] == [RawDocument] * 3
    assert [i.kind for i in items] == ["markdown", "text", "html"]
    assert items[0].source.endswith("b/two.md")


def test_jsonl_records_are_numbered_and_keep_metadata(tmp_path):
    path = tmp_path / "dump.jsonl"
    lines = [
        json.dumps({"url": "https://x.test/1", "title": "T1", "date": "2024-01-02", "text": "First text."}),
        "{broken json",
        json.dumps({"title": "no text here"}),
        json.dumps({"body": "Body field works."}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = list(iter_inputs([path]))
    assert isinstance(items[0], RawDocument)
    assert (items[0].source, items[0].url, items[0].title, items[0].published) == (f"{path}#1", "https://x.test/1", "T1", "2024-01-02")
    assert isinstance(items[1], Failure) and items[1].source == f"{path}#2" and "line 2: invalid JSON" in items[1].error
    assert isinstance(items[2], Failure) and "no text in any of the fields" in items[2].error
    assert isinstance(items[3], RawDocument) and items[3].content == "Body field works."


def test_csv_without_text_column_is_one_failure(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("url,title\nhttps://x.test,Hello\n", encoding="utf-8")
    (item,) = list(iter_inputs([path]))
    assert isinstance(item, Failure)
    assert "no text column" in item.error and "url, title" in item.error


def test_csv_records_with_quoted_newlines(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text('url,title,date,text\nhttps://x.test/a,A,2024-05-01,"Line one.\n\nLine two, with comma."\n', encoding="utf-8")
    (item,) = list(iter_inputs([path]))
    assert isinstance(item, RawDocument)
    assert item.source == f"{path}#1" and "Line two, with comma." in item.content


def test_bad_files_fail_with_a_reason_and_the_rest_goes_on(tmp_path):
    (tmp_path / "a_binary.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "b_empty.txt").write_text("   \n", encoding="utf-8")
    (tmp_path / "c_latin1.txt").write_bytes("Caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "d_huge.txt").write_text("x" * 5000, encoding="utf-8")
    (tmp_path / "e_good.txt").write_text("Fine.", encoding="utf-8")
    items = _items(tmp_path, max_bytes=1000)
    errors = {i.source.rsplit("/", 1)[-1]: i.error for i in items if isinstance(i, Failure)}
    assert "binary file" in errors["a_binary.txt"]
    assert "empty" in errors["b_empty.txt"]
    assert "not valid utf-8 at byte 3" in errors["c_latin1.txt"]
    assert "over the 1,000-byte cap" in errors["d_huge.txt"]
    assert [i.content for i in items if isinstance(i, RawDocument)] == ["Fine."]


def test_html_meta_charset_and_bom_are_honoured(tmp_path):
    (tmp_path / "a.html").write_bytes(b'<html><head><meta charset="iso-8859-1"></head><body><p>Caf\xe9</p></body></html>')
    (tmp_path / "b.txt").write_bytes("\ufeffWith BOM".encode("utf-8"))
    a, b = _items(tmp_path)
    assert "Café" in a.content
    assert b.content == "With BOM"


def test_missing_path_is_a_failure(tmp_path):
    (item,) = list(iter_inputs([tmp_path / "nope"]))
    assert isinstance(item, Failure) and item.error == "no such file or folder"


def test_a_pdf_release_is_read_paragraph_by_paragraph(tmp_path: Path) -> None:
    from pdf_maker import make_pdf

    headline = "Acme Bio Doses First Patient in Phase 2 STAR Trial of AB-101"
    body = ("BOSTON, Jan. 5, 2026 -- Acme Bio today announced that the first patient was dosed in STAR, a Phase 2 "
            "trial of AB-101, an anti-CD19 antibody, in patients with lupus nephritis.")
    (tmp_path / "release.pdf").write_bytes(make_pdf([[headline, body], ["About Acme Bio", "Acme Bio makes antibodies."]]))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    items = list(iter_inputs([tmp_path]))
    failure = next(i for i in items if isinstance(i, Failure))
    assert failure.source.endswith("broken.pdf") and "not a readable PDF" in failure.error
    doc = next(i for i in items if not isinstance(i, Failure))
    assert doc.kind == "text"
    assert doc.content.split("\n\n") == [headline, body, "About Acme Bio", "Acme Bio makes antibodies."]
