"""
Find the components and the SOP in the lines of a published Standar Pelayanan.

Three layouts are read, in any mix:

- the seeds' web-page table: ``NO <tab> KOMPONEN <tab> URAIAN`` rows, continuation rows that
  start with two empty cells (a page break of the web table), leftover HTML in the text;
- a numbered list: ``1. PERSYARATAN PELAYANAN`` then its items, ``3. JANGKA WAKTU : 12 Hari``
  with the value after the colon, several headings possibly run together on one line;
- an HTML (or DOCX) table, whose rows arrive here as tab-separated cells.

The SOP is either a flow table (a header row with ``Kegiatan`` and ``Pelaksana``/``Mutu Baku``,
one column per Pelaksana, the Kelengkapan/Waktu/Output columns, a ``TOTAL`` row) or a numbered
list of steps with ``Pelaksana :``, ``Kelengkapan :``, ``Waktu :``, ``Output :`` lines.

Every line is recorded as placed or listed as unplaced in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from satupintu.catalogue.importing.report import ImportReport

#: The 14 components of PermenPANRB 15/2014, with the words that name them in a heading. Order
#: matters where names overlap: "jaminan keamanan" before "jaminan pelayanan".
COMPONENTS: list[tuple[str, str, str]] = [
    ("requirements", "Persyaratan Pelayanan", r"persyaratan"),
    ("procedure", "Sistem, mekanisme, dan prosedur", r"sistem|mekanisme|prosedur pelayanan|^prosedur"),
    ("completion_time", "Jangka waktu penyelesaian", r"jangka waktu|waktu penyelesaian|waktu pelayanan"),
    ("fee", "Biaya/tarif", r"biaya|tarif|retribusi"),
    ("product", "Produk pelayanan", r"produk"),
    ("complaints", "Penanganan pengaduan, saran, dan masukan", r"pengaduan"),
    ("legal_basis", "Dasar hukum", r"dasar hukum"),
    ("facilities", "Sarana, prasarana, dan/atau fasilitas", r"sarana|prasarana|fasilitas"),
    ("competence", "Kompetensi pelaksana", r"kompetensi"),
    ("internal_supervision", "Pengawasan internal", r"pengawasan"),
    ("staff_count", "Jumlah pelaksana", r"jumlah pelaksana|jumlah petugas|jumlah personil"),
    ("safety_guarantees", "Jaminan keamanan dan keselamatan pelayanan", r"jaminan keamanan|keselamatan"),
    ("service_guarantees", "Jaminan pelayanan", r"jaminan pelayanan|^jaminan$"),
    ("performance_evaluation", "Evaluasi kinerja pelaksana", r"evaluasi"),
]
COMPONENT_LABELS = {key: label for key, label, _ in COMPONENTS}

_HEADING_WORDS = (
    r"PERSYARATAN|SISTEM|JANGKA WAKTU|WAKTU PENYELESAIAN|BIAYA|PRODUK|PENANGANAN PENGADUAN|DASAR HUKUM|"
    r"SARANA|KOMPETENSI|PENGAWASAN|JUMLAH PELAKSANA|JAMINAN|EVALUASI"
)
#: A numbered component heading run into the previous text ("… 3. JANGKA WAKTU : 12 Hari 4. BIAYA …").
_RUN_IN_HEADING = re.compile(rf"(?<=\S)\s+(?=\d{{1,2}}\.\s+(?:{_HEADING_WORDS})\b)")
_NUMBERED_LINE = re.compile(r"^\s*(\d{1,2})\.?\s+(.+)$")
_SOP_HEADING = re.compile(
    r"^\s*(?:[A-Z]\.\s*)?(standar operasional prosedur|prosedur operasional standar|sop\b|alur pelayanan|"
    r"langkah[- ]langkah pelayanan|tahapan pelayanan|prosedur\s*:?\s*$|prosedur pelayanan\s*:?\s*$)",
    re.I,
)
_SOP_FIELDS = {
    "pelaksana": "roles",
    "kelengkapan": "inputs",
    "mutu baku kelengkapan": "inputs",
    "waktu": "time",
    "output": "output",
    "hasil": "output",
    "keterangan": "note",
}
_SOP_FIELD_RE = re.compile(
    r"(?:^|[;|]\s*|\(\s*|\s)(pelaksana|mutu baku kelengkapan|kelengkapan|waktu|output|hasil|keterangan)\s*[:：]\s*",
    re.I,
)
_PAGE_NUMBER = re.compile(
    r"^\s*(?:-\s*)?(?:halaman|hal\.?|page)?\s*\d{1,3}\s*(?:(?:dari|/|of)\s*\d{1,3})?\s*(?:-)?\s*$", re.I
)
_PUBLISHER_RE = re.compile(r"^\s*(dinas|badan|kantor)\b.{5,}$", re.I)
_GOVERNMENT_RE = re.compile(r"^\s*pemerintah(an)?\s+(kota|kabupaten|provinsi)\b", re.I)
_NAME_RE = re.compile(r"^\s*(?:jenis|nama)\s+(?:pelayanan|layanan|izin)\s*[:：]\s*(.+)$", re.I)
_TITLE_RE = re.compile(r"^\s*standar pelayanan\s+(?!service|manufactur|publik\b)(.{4,})$", re.I)
_PLAIN_HEADINGS = re.compile(
    r"^\s*(?:[A-C]\.\s*)?(standar pelayanan|pendahuluan|standar pelayanan service delivery|"
    r"jenis pelayanan manufactur\w*|jenis pelayanan service delivery|service delivery|manufactur\w*|"
    r"komponen standar pelayanan)\s*$",
    re.I,
)


@dataclass
class Segment:
    """The text of one component with the lines it came from."""

    key: str
    heading: str
    text: str = ""
    lines: list[int] = field(default_factory=list)
    guessed: bool = False

    def add(self, text: str, line: int) -> None:
        text = text.strip()
        if text:
            self.text = f"{self.text} {text}".strip() if self.text else text
        if line not in self.lines:
            self.lines.append(line)


@dataclass
class SopRow:
    """One step of the published SOP, as written."""

    number: int
    line: int
    activity: str = ""
    role_names: list[str] = field(default_factory=list)
    marked_columns: bool = False
    inputs: str = ""
    time: str = ""
    output: str = ""
    note: str = ""
    #: The field a wrapped line continues (numbered steps: "Output : …" then its next line).
    last_field: str = "activity"


@dataclass
class Document:
    form: str
    name: str = ""
    title_line: str = ""
    publisher: str = ""
    government: str = ""
    introduction: str = ""
    components: dict[str, Segment] = field(default_factory=dict)
    orphans: list[Segment] = field(default_factory=list)
    sop_title: str = ""
    sop_columns: list[str] = field(default_factory=list)
    sop_rows: list[SopRow] = field(default_factory=list)
    total_time: str = ""
    truncated_at_top: bool = False


def numbered_heading(plain: str) -> tuple[str, str, str] | None:
    """
    A numbered component heading and the text after it: ``3. JANGKA WAKTU : 12 Hari`` →
    (``completion_time``, ``JANGKA WAKTU``, ``12 Hari``); ``1. PERSYARATAN PELAYANAN a. …`` →
    the words in capitals are the heading. A mixed-case heading needs its colon
    (``3. Jangka waktu penyelesaian : 2 hari``), so an item ("2. Fotokopi KTP") is never one.
    """
    match = _NUMBERED_LINE.match(plain)
    if not match:
        return None
    rest = match.group(2)
    words = []
    for word in rest.split():
        letters = [c for c in word if c.isalpha()]
        if not letters or not all(c.isupper() for c in letters) or (len(letters) == 1 and word.endswith(".")):
            break
        words.append(word)
        if word.endswith((":", "：")):
            break
    heading = " ".join(words).rstrip(":： ")
    if heading and len(heading) >= 4 and (key := component_of(heading)):
        body = rest[len(" ".join(words)) :].strip().lstrip(":：").strip()
        return key, heading, body
    before, colon, after = rest.partition(":")
    if colon and len(before) <= 60 and (key := component_of(before)):
        return key, before.strip(), after.strip()
    return None


def component_of(heading: str) -> str | None:
    """The component key a heading names, or None."""
    words = " ".join(re.sub(r"<[^>]+>", " ", heading).split()).strip(" .:").lower()
    if not words or len(words) > 90:
        return None
    for key, _label, pattern in COMPONENTS:
        if re.search(pattern, words):
            return key
    return None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("\t")]


def _is_mark(cell: str) -> bool:
    return cell.strip() in {"x", "X", "√", "✓", "✔", "v", "V", "●", "•", "*", "ya", "Ya"}


_TIME_CELL = re.compile(r"^\s*(\d+)\s*(\([^)]*\)\s*)?(menit|jam|hari(\s+kerja)?)\b", re.I)


def _looks_like_time(cell: str) -> bool:
    return bool(_TIME_CELL.match(cell))


class _Reader:
    def __init__(self, lines: list[str], report: ImportReport) -> None:
        self.lines = lines
        self.report = report
        self.doc = Document(form="")
        self.current: Segment | None = None
        self.mode = "start"  # start, intro, components, sop_table, sop_list
        self.forms: set[str] = set()
        self.sop_header: list[str] = []
        self.sop_row: SopRow | None = None

    # -- helpers --------------------------------------------------------------------------
    def placed(self, number: int) -> None:
        if number not in self.report.placed_lines:
            self.report.placed_lines.append(number)

    def start_component(self, key: str, heading: str, body: str, number: int) -> None:
        self.mode = "components"
        if key in self.doc.components:
            # The same component named twice: keep the text together, in document order.
            self.current = self.doc.components[key]
        else:
            self.current = Segment(key=key, heading=heading)
            self.doc.components[key] = self.current
        self.current.add(body, number)
        self.placed(number)

    # -- the walk ---------------------------------------------------------------------------
    def read(self) -> Document:
        for index, raw in enumerate(self.lines, start=1):
            if not raw.strip():
                continue
            self.report.total_lines += 1
            pieces = [raw] if "\t" in raw else _RUN_IN_HEADING.split(raw)
            for piece in pieces:
                self.line(piece, index)
        self.finish_step()
        if "table" in self.forms and "list" in self.forms:
            self.doc.form = "mixed"
        elif "table" in self.forms:
            self.doc.form = "table"
        elif "list" in self.forms:
            self.doc.form = "numbered_list"
        else:
            self.doc.form = "unknown"
        return self.doc

    def line(self, raw: str, number: int) -> None:
        cells = _cells(raw)
        text = " ".join(raw.split())
        plain = " ".join(re.sub(r"<[^>]+>", " ", text).split())
        if _PAGE_NUMBER.match(plain):
            self.report.unplaced(number, plain, "nomor halaman")
            return
        if re.fullmatch(r"[-=_|+:\s]+", plain):
            self.report.unplaced(number, plain, "garis pemisah tanpa isi")
            return
        if self.mode in {"sop_table", "sop_list"} and self.sop_line(raw, cells, plain, number):
            return
        if _SOP_HEADING.match(plain) and len(plain) < 90 and not self.mode.startswith("sop"):
            self.finish_step()
            self.mode = "sop_list"
            self.doc.sop_title = plain.strip(" :")
            self.current = None
            self.placed(number)
            return
        if self.table_header(cells, number):
            return
        if self.header_line(cells, plain, number):
            return
        if len(cells) >= 3 and re.fullmatch(r"\d{1,2}\.?", cells[0]) and (key := component_of(cells[1])):
            self.forms.add("table")
            self.start_component(key, cells[1], "\t".join(cells[2:]).strip(), number)
            return
        if len(cells) >= 2 and not cells[0] and (key := component_of(cells[1])):
            # An HTML table without the NO column: KOMPONEN, URAIAN.
            self.forms.add("table")
            self.start_component(key, cells[1], "\t".join(cells[2:]).strip(), number)
            return
        if len(cells) == 2 and (key := component_of(re.sub(r"^\d{1,2}\.?\s*", "", cells[0]))):
            self.forms.add("table")
            self.start_component(key, cells[0], cells[1], number)
            return
        if heading := numbered_heading(plain):
            key, words, body = heading
            self.forms.add("list")
            self.start_component(key, words, body, number)
            return
        if len(cells) >= 3 and not cells[0] and not cells[1]:
            # A continuation row (the web table broken across pages).
            body = "\t".join(cells[2:]).strip()
            if self.current is not None:
                self.current.add(body, number)
                self.placed(number)
            else:
                self.orphan(body, number)
            return
        if self.mode == "intro":
            self.doc.introduction = f"{self.doc.introduction} {plain}".strip()
            self.placed(number)
            return
        if self.current is not None:
            self.current.add(text, number)
            self.placed(number)
            return
        self.orphan(text, number)

    def orphan(self, text: str, number: int) -> None:
        """Text before any component: a truncated document starting mid-component."""
        if self.mode == "start" and (key := _content_component(text)):
            segment = Segment(key=key, heading="", guessed=True)
            segment.add(text, number)
            self.doc.orphans.append(segment)
            self.doc.truncated_at_top = True
            self.current = segment
            self.mode = "components"
            self.placed(number)
            return
        self.report.unplaced(number, text, "di luar komponen mana pun")

    def header_line(self, cells: list[str], plain: str, number: int) -> bool:
        joined = " ".join(c for c in cells if c)
        words = " ".join(re.sub(r"<[^>]+>", " ", joined).split())
        upper = words.upper()
        if upper.replace(".", "").split() == ["NO", "KOMPONEN", "URAIAN"] or (
            "KOMPONEN" in upper and "URAIAN" in upper and len(words) < 40
        ):
            self.placed(number)
            return True
        if _PLAIN_HEADINGS.match(words):
            if re.search(r"pendahuluan", words, re.I):
                self.mode = "intro"
            elif self.mode == "intro":
                self.mode = "components"
            self.placed(number)
            return True
        if match := _NAME_RE.match(words):
            self.doc.name = match.group(1).strip()
            if self.mode == "intro":
                self.mode = "components"
            self.placed(number)
            return True
        if self.mode == "start" and (match := _TITLE_RE.match(words)):
            self.doc.title_line = match.group(1).strip()
            self.placed(number)
            return True
        if self.mode in {"start", "intro"} and _GOVERNMENT_RE.match(words):
            self.doc.government = words
            self.placed(number)
            return True
        if self.mode in {"start", "intro"} and _PUBLISHER_RE.match(words) and len(words) < 160:
            self.doc.publisher = words
            self.placed(number)
            return True
        return False

    # -- SOP ------------------------------------------------------------------------------
    def table_header(self, cells: list[str], number: int) -> bool:
        lowered = [c.lower() for c in cells]
        if "kegiatan" in lowered and any(c.startswith(("pelaksana", "mutu baku", "waktu")) for c in lowered):
            self.finish_step()
            self.mode = "sop_table"
            self.current = None
            self.sop_header = cells
            self.forms.add("table")
            if not self.doc.sop_title:
                self.doc.sop_title = ""
            self.placed(number)
            return True
        return False

    def sop_line(self, raw: str, cells: list[str], plain: str, number: int) -> bool:
        if self.mode == "sop_table":
            return self.sop_table_line(cells, plain, number)
        return self.sop_list_line(plain, number)

    def sop_table_line(self, cells: list[str], plain: str, number: int) -> bool:
        lowered = [c.lower() for c in cells]
        if not re.fullmatch(r"\d{1,2}\.?", cells[0]) and any(
            c.startswith(("kelengkapan", "waktu", "output")) for c in lowered
        ):
            # The second header row: the Pelaksana names and the Mutu Baku columns. Where the
            # first row's No and Kegiatan cells span both rows, this row starts at the first
            # Pelaksana: shift it under the first row's Pelaksana column.
            main = self.sop_header
            if cells[0] and len(cells) < len(main):
                start = next((i for i, c in enumerate(main) if c.lower().startswith("pelaksana")), 2)
                cells = [""] * start + cells
            cells = cells + [""] * (len(main) - len(cells))
            # A column spanning both header rows keeps the first row's name (No, Kegiatan, Keterangan).
            self.sop_header = [sub or (main[i] if i < len(main) else "") for i, sub in enumerate(cells)]
            self.placed(number)
            return True
        if re.match(r"(total|jumlah waktu)\b", cells[0], re.I):
            values = [c for c in cells[1:] if c]
            self.doc.total_time = values[0] if values else ""
            self.placed(number)
            return True
        if re.fullmatch(r"\d{1,2}\.?", cells[0]) and len(cells) >= 3:
            self.doc.sop_rows.append(self.table_row(cells, number))
            self.placed(number)
            return True
        if cells[0] == "" and len(cells) >= 2 and self.doc.sop_rows and not component_of(cells[1]):
            # A wrapped row: the activity continues on the next line.
            row = self.doc.sop_rows[-1]
            extra = " ".join(c for c in cells if c)
            row.note = f"{row.note} {extra}".strip() if row.activity else row.note
            self.placed(number)
            return True
        self.mode = "components"
        return False

    def table_row(self, cells: list[str], number: int) -> SopRow:
        row = SopRow(number=int(cells[0].rstrip(".")), line=number, activity=cells[1])
        header = self.sop_header
        lowered = [h.lower() for h in header]

        def column(prefix: str) -> int | None:
            for index, name in enumerate(lowered):
                if name.startswith(prefix):
                    return index
            return None

        k_col, w_col, o_col = column("kelengkapan"), column("waktu"), column("output")
        n_col = column("keterangan")
        aligned = (
            k_col is not None
            and w_col is not None
            and len(cells) == len(header)
            and (_looks_like_time(cells[w_col]) or cells[w_col] == "-")
            and (o_col is None or bool(cells[o_col]))
        )
        if aligned and k_col is not None and w_col is not None:
            # The cells line up with the header (an HTML or DOCX table): read columns by position.
            for index in range(2, k_col):
                if _is_mark(cells[index]) and header[index]:
                    row.role_names.append(header[index])
            row.marked_columns = bool(row.role_names)
            row.inputs = cells[k_col]
            row.time = cells[w_col]
            row.output = cells[o_col] if o_col is not None else ""
            row.note = cells[n_col] if n_col is not None and n_col < len(cells) else ""
            return row
        # The seeds' text: the Pelaksana marks are lost and the cells shifted; read the Mutu
        # Baku from the right, around the cell holding the time.
        rest = cells[2:]
        time_at = next((i for i, c in enumerate(rest) if _looks_like_time(c) or c == "-"), None)
        if time_at is None:
            row.note = " ".join(c for c in rest if c)
            return row
        before = [c for c in rest[:time_at] if c and not _is_mark(c)]
        after = [c for c in rest[time_at + 1 :] if c]
        row.inputs = before[-1] if before else ""
        row.time = rest[time_at]
        row.output = after[0] if after else ""
        row.note = " ".join(after[1:])
        return row

    def finish_step(self) -> None:
        self.sop_row = None

    def sop_list_line(self, plain: str, number: int) -> bool:
        if match := re.match(r"^\s*(total|jumlah)\s+(waktu|hari|jangka waktu)[^:：]*[:：]\s*(.+)$", plain, re.I):
            self.doc.total_time = match.group(3).strip()
            self.placed(number)
            return True
        step = re.match(r"^\s*(?:langkah\s+)?(\d{1,2})[.)]\s+(.+)$", plain, re.I)
        if step and not numbered_heading(plain):
            self.forms.add("list")
            self.sop_row = SopRow(number=int(step.group(1)), line=number)
            self.doc.sop_rows.append(self.sop_row)
            self.sop_fields(step.group(2), number)
            self.placed(number)
            return True
        if self.sop_row is not None and not numbered_heading(plain):
            self.sop_fields(plain, number, continuation=True)
            self.placed(number)
            return True
        self.mode = "components"
        self.sop_row = None
        return False

    def sop_fields(self, text: str, number: int, *, continuation: bool = False) -> None:
        row = self.sop_row
        assert row is not None
        parts = _SOP_FIELD_RE.split(text)
        head = parts[0].strip(" ;|()")
        if head:
            name = row.last_field if continuation else "activity"
            if name == "roles":
                row.role_names.extend(n.strip() for n in re.split(r"\s*(?:,|;| dan | & )\s*", head) if n.strip())
            else:
                setattr(row, name, f"{getattr(row, name)} {head}".strip())
        for label, value in zip(parts[1::2], parts[2::2], strict=False):
            name = _SOP_FIELDS[label.lower()]
            value = value.strip(" ;|)")
            if name == "roles":
                row.role_names.extend(n.strip() for n in re.split(r"\s*(?:,|;| dan | & )\s*", value) if n.strip())
            else:
                setattr(row, name, f"{getattr(row, name)} {value}".strip())
            row.last_field = name


def _content_component(text: str) -> str | None:
    """Which component a headless fragment belongs to, judged from its words."""
    plain = re.sub(r"<[^>]+>", " ", text).lower()
    scores = {
        "complaints": len(re.findall(r"pengadu", plain)),
        "requirements": len(re.findall(r"fotokopi|foto copy|surat permohonan|legalisir", plain)),
        "legal_basis": len(re.findall(r"undang-undang|peraturan", plain)),
        "performance_evaluation": len(re.findall(r"survey|survei|kepuasan", plain)),
    }
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] >= 2 else None


def read_document(lines: list[str], report: ImportReport) -> Document:
    """Segment the document's lines into components and SOP rows, recording every line in ``report``."""
    return _Reader(lines, report).read()
