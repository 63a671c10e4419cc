"""
Make the PDF and DOCX test documents from their text sources (run from the repository root):

    .venv/bin/python satupintu/catalogue/tests/documents/generate.py

- ``izin-reklame.pdf``: ``izin-reklame.txt`` (a numbered list) set line by line on A4 with
  ReportLab, long lines wrapped as a word processor would;
- ``izin-usaha-toko-swalayan.docx``: ``izin-usaha-toko-swalayan.txt`` (the seeds' table form) with
  python-docx, each run of tab-separated lines as a Word table, other lines as paragraphs.

The outputs are committed; the tests read them and never run this script.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def make_pdf(source: Path, target: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    style = getSampleStyleSheet()["BodyText"]
    story = []
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            story.append(Spacer(1, 8))
            continue
        text = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        story.append(Paragraph(text, style))
    document = SimpleDocTemplate(str(target), pagesize=A4, title=source.stem, author="satupintu tests", invariant=1)
    document.build(story)


def make_docx(source: Path, target: Path) -> None:
    import docx

    document = docx.Document()
    lines = source.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if "\t" not in line:
            if line.strip():
                document.add_paragraph(line)
            index += 1
            continue
        block = []
        while index < len(lines) and "\t" in lines[index]:
            block.append(lines[index].split("\t"))
            index += 1
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        for r, row in enumerate(block):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    document.core_properties.author = "satupintu tests"
    document.save(str(target))


if __name__ == "__main__":
    make_pdf(HERE / "izin-reklame.txt", HERE / "izin-reklame.pdf")
    make_docx(HERE / "izin-usaha-toko-swalayan.txt", HERE / "izin-usaha-toko-swalayan.docx")
    print("izin-reklame.pdf, izin-usaha-toko-swalayan.docx")
