"""
Read the text of one component into the schema's clauses.

The text still carries what the page had: leftover HTML (``<p>``, ``<ol>``, ``<li>``, ``<i>``),
labels (``a.``, ``b.``, ``a.1.``, ``1.``) and bullets (``-``/``–`` then ``•``). Labels are found in
sequence (``b.`` is looked for only after ``a.``), so a stray "s." or "No. 464" is not a clause.
"""

from __future__ import annotations

import html
import re
import string
from dataclasses import dataclass, field
from typing import Any

_PARA = "\u00b6"  # a paragraph break kept from <p>/<br>, so a trailing note can be told apart
_ITEM = "\u2023"  # an <li> without a label: an unlabelled item
_EMPTY_VALUE = "\x00"


def normalise(text: str) -> str:
    """The text without tags (``<li>`` → an item mark, ``<p>`` → a paragraph mark), spaces squashed."""
    text = re.sub(r"<li\b[^>]*>", f" {_ITEM} ", text, flags=re.I)
    text = re.sub(r"<(p|br)\b[^>]*>", f" {_PARA} ", text, flags=re.I)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).split())


def clean(text: str) -> str:
    """Plain text: no marks, squashed spaces."""
    text = text.replace(_PARA, " ").replace(_ITEM, " ").replace(_EMPTY_VALUE, "-")
    return " ".join(text.split()).strip()


@dataclass
class Item:
    label: str
    text: str
    items: list[Item] = field(default_factory=list)

    def as_clause(self) -> dict[str, Any]:
        clause: dict[str, Any] = {}
        if self.label:
            clause["label"] = self.label
        clause["text"] = clean(self.text)
        if self.items:
            clause["items"] = [i.as_clause() for i in self.items]
        return clause


_BEFORE = rf"(?<![^\s.;:,)>{_PARA}{_ITEM}])"


def _label_at(text: str, label: str, start: int, *, compound: bool) -> re.Match[str] | None:
    pattern = ("" if compound else _BEFORE) + re.escape(label) + r"(?=\s)"
    return re.compile(pattern).search(text, start)


def split_labelled(
    text: str, labels: list[str], *, compound: bool = False, cut: bool = False
) -> tuple[str, list[tuple[str, str]]]:
    """
    Split ``text`` at the labels in sequence; return the text before the first and (label, body) pairs.

    ``cut``: the text may begin after its first clauses were lost (a document cut at the top), so
    the sequence may start at any of the first few labels.
    """
    if cut and _label_at(text, labels[0], 0, compound=compound) is None:
        for skip in range(1, 6):
            if _label_at(text, labels[skip], 0, compound=compound) is not None:
                labels = labels[skip:]
                break
    found: list[tuple[str, int, int]] = []
    position = 0
    for label in labels:
        match = _label_at(text, label, position, compound=compound)
        if match is None:
            break
        found.append((label, match.start(), match.end()))
        position = match.end()
    if not found:
        return text, []
    head = text[: found[0][1]]
    pairs = []
    for index, (label, _start, end) in enumerate(found):
        stop = found[index + 1][1] if index + 1 < len(found) else len(text)
        pairs.append((label, text[end:stop]))
    return head, pairs


LETTERS = [f"{c}." for c in string.ascii_lowercase]
NUMBERS = [f"{n}." for n in range(1, 61)]


def split_bullets(text: str) -> tuple[str, list[Item]]:
    """Bulleted items: ``-``/``–``/``<li>`` at the first level, ``•`` below the item before it."""
    text = re.sub(r":\s+-(?=\s+[-–]\s)", f": {_EMPTY_VALUE}", text)
    text = re.sub(r":\s+-\s*$", f": {_EMPTY_VALUE}", text)
    parts = re.split(rf"(?:(?<=\s)|^)([-–•{_ITEM}])\s+", text)
    head = parts[0]
    items: list[Item] = []
    for marker, body in zip(parts[1::2], parts[2::2], strict=False):
        if marker == "•" and items:
            items[-1].items.append(Item(label="", text=body))
        else:
            items.append(Item(label="", text=body))
    return head, items


def parse_clauses(text: str, *, labels: list[str] | None = None, cut: bool = False) -> tuple[str, list[Item]]:
    """The text before the first clause and the clauses (lettered, with a.1.-style or bulleted items)."""
    head, pairs = split_labelled(text, labels or LETTERS, cut=cut)
    if not pairs:
        head, bullets = split_bullets(text)
        return head, bullets
    items = []
    for label, body in pairs:
        sub_labels = [f"{label}{n}." for n in range(1, 30)]
        sub_head, subs = split_labelled(body, sub_labels, compound=True)
        if subs:
            children = []
            for sub_label, sub_body in subs:
                inner_head, inner = split_bullets(sub_body)
                children.append(Item(label=sub_label, text=inner_head if inner else sub_body, items=inner))
            items.append(Item(label=label, text=sub_head, items=children))
            continue
        bullet_head, bullets = split_bullets(body)
        items.append(Item(label=label, text=bullet_head if bullets else body, items=bullets))
    return head, items


def list_items(text: str) -> tuple[str, list[Item], str]:
    """
    A list of items: numbered, lettered, or bulleted. Return the text before it, the items, and a
    trailing note (a paragraph after the last item, e.g. "(jika ada perubahan …)").
    """
    for labels in (NUMBERS, LETTERS):
        head, pairs = split_labelled(text, labels)
        if len(pairs) >= 2 or (pairs and not head.strip(f" {_PARA}{_ITEM}")):
            items = [Item(label=label, text=body) for label, body in pairs]
            break
    else:
        head, items = split_bullets(text)
    note = ""
    if items:
        last = items[-1].text
        if _PARA in last.strip(f" {_PARA}"):
            first, _, rest = last.strip(f" {_PARA}").partition(_PARA)
            items[-1].text, note = first, rest
    return head, items, note


# -- requirements -------------------------------------------------------------------------

_WORD_NUMBERS = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}


def requirement_of(label: str) -> dict[str, Any]:
    """A requirement with the flags its wording states (quantity, photocopy, legalised, original, renewal)."""
    lowered = label.lower()
    requirement: dict[str, Any] = {"label": label}
    quantity = re.search(
        r"(?:sebanyak|rangkap|masing-masing)\s+(\d+)|(\d+)\s*(?:\([a-z ]+\)\s*)?(?:lembar|rangkap|buah|eksemplar)",
        lowered,
    )
    if quantity:
        n = int(quantity.group(1) or quantity.group(2))
        if n > 1:
            requirement["quantity"] = n
    else:
        words = re.search(r"\b(" + "|".join(_WORD_NUMBERS) + r")\s+(?:lembar|rangkap|buah|eksemplar)", lowered)
        if words and _WORD_NUMBERS[words.group(1)] > 1:
            requirement["quantity"] = _WORD_NUMBERS[words.group(1)]
    if re.search(r"foto\s*-?\s*copy|fotokopi|fotocopy|photo\s*copy|salinan|copy\b", lowered):
        requirement["photocopy"] = True
    if re.search(r"legalisir|dilegalisasi|legalisasi|dilegalisir", lowered):
        requirement["legalised"] = True
    if re.search(r"\basli\b", lowered):
        requirement["original"] = True
    if re.search(r"perpanjangan|daftar ulang|pembaruan|pembaharuan", lowered) and re.search(
        r"\b(bagi|untuk|khusus|jika|apabila|dalam hal)\b[^)]*\b(perpanjangan|daftar ulang|pembaruan|pembaharuan)",
        lowered,
    ):
        requirement["renewal_only"] = True
    elif re.search(r"\b(bagi|untuk|khusus)\s+(pemohon|permohonan|izin)\s+baru\b", lowered):
        requirement["new_only"] = True
    return requirement


_KEY_DROP = re.compile(
    r"\((?:[^)]*)\)|\bfoto\s*-?\s*copy\b|\bfotokopi\b|\bfotocopy\b|\bsalinan\b|\basli\b|\bberwarna\b|"
    r"\d+\s*x\s*\d+|\bukuran\b|\bsebanyak\b.*$|\b\d+\s*lembar\b.*$",
    re.I,
)
_KEY_CUT = re.compile(r"\s(?:yang|dari|oleh|untuk|bagi|dengan|sesuai|sebagai|atas)\s.*$", re.I)


def requirement_key(label: str, taken: set[str]) -> str:
    """A key for a requirement from its label: the first words, without copy/size/quantity words."""
    text = _KEY_DROP.sub(" ", _KEY_DROP.sub(" ", label))
    text = _KEY_CUT.sub("", f" {text.strip()} ").strip()
    words = re.findall(r"[a-z0-9]+", text.lower())[:4] or ["persyaratan"]
    key = "_".join(words)
    if not key[0].isalpha():
        key = f"p_{key}"
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}_{n}", n + 1
    taken.add(candidate)
    return candidate


# -- complaints ---------------------------------------------------------------------------

_CHANNEL_KINDS: list[tuple[str, str]] = [
    ("in_person", r"langsung|tatap muka|datang"),
    ("internet", r"internet|e-?mail|surel|website|laman|situs|online|daring|\blapor\b|lapor!"),
    ("phone", r"telepon|telp|fax|faks|sms|whatsapp|\bwa\b|hotline"),
    ("letter", r"surat|tertulis|kotak saran|kotak pengaduan"),
]
_CHANNEL_START = re.compile(
    r"\s(?=(?:Masyarakat|Pengaduan|Pengadu|Aduan|Pemohon|Disampaikan|Dapat|Melalui|Ditujukan|Setiap)\b)"
)


def channel_kind(text: str) -> str | None:
    lowered = text.lower()
    for kind, pattern in _CHANNEL_KINDS:
        if re.search(pattern, lowered):
            return kind
    return None


def channel_of(number: str, text: str) -> dict[str, Any] | None:
    """A complaint channel from one clause ("a.1. Media surat / tertulis Masyarakat dapat …")."""
    body = clean(text)
    parts = _CHANNEL_START.split(body, maxsplit=1)
    if len(parts) == 2 and len(parts[0]) <= 60:
        label, rest = parts[0].strip(), parts[1].strip()
    elif ":" in body[:60]:
        label, _, rest = body.partition(":")
        label, rest = label.strip(), rest.strip()
    else:
        label, rest = body, ""
    kind = channel_kind(label) or channel_kind(body)
    if kind is None:
        return None
    channel: dict[str, Any] = {"kind": kind, "number": number, "label": label, "text": rest or label}
    if email := re.search(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", body):
        channel["email"] = email.group(0).rstrip(".")
    if website := re.search(r"\b(?:https?://|www\.)[^\s,;]+", body):
        channel["website"] = website.group(0).rstrip(".")
    phone_number = r"(\(?\+?\d[\d\s()-]{5,}\d)"
    if phone := re.search(r"\b(?:telp|telepon|tel)\.?\s*(?:nomor\s*)?:?\s*" + phone_number, body, re.I):
        channel["phone"] = phone.group(1).strip()
    if fax := re.search(r"\b(?:fax|faks|faksimile)\.?\s*:?\s*" + phone_number, body, re.I):
        channel["fax"] = fax.group(1).strip()
    if sms := re.search(r"\b(?:sms|whatsapp|wa)\b[^\d(]{0,20}" + phone_number, body, re.I):
        channel["sms"] = sms.group(1).strip()
    if kind == "letter" and (address := re.search(r"\b(?:Jalan|Jl\.)\s.+$", body)):
        channel["address"] = address.group(0).strip()
    return channel


def complaints_of(text: str, *, cut: bool = False) -> dict[str, Any]:
    """Penanganan pengaduan: intro, the channels (often a.1.–a.4. under clause a.), the procedure."""
    head, items = parse_clauses(normalise(text), cut=cut)
    result: dict[str, Any] = {"intro": clean(head), "channels": [], "procedure": []}
    nested = next(
        (i for i in items if len(i.items) >= 2 and all(channel_kind(clean(s.text)) for s in i.items if s.label)), None
    )
    for item in items:
        if item is nested:
            result["channels_label"] = item.label
            result["channels_text"] = clean(item.text)
            for sub in item.items:
                channel = channel_of(sub.label, sub.text)
                if channel is not None:
                    result["channels"].append(channel)
                else:
                    result["procedure"].append(sub.as_clause())
            continue
        if nested is None and not item.items and (channel := _flat_channel(item)):
            result["channels"].append(channel)
            continue
        result["procedure"].append(item.as_clause())
    return result


def _flat_channel(item: Item) -> dict[str, Any] | None:
    body = clean(item.text)
    if not re.match(
        r"(media|melalui|kotak|surat|e-?mail|surel|website|laman|telepon|telp|sms|whatsapp|langsung|datang|lapor\b|lapor!)",
        body,
        re.I,
    ):
        return None
    return channel_of(item.label, item.text)


# -- small components ---------------------------------------------------------------------


def completion_time_of(text: str) -> dict[str, Any] | None:
    """``2 hari kerja (dengan persyaratan lengkap)`` → text, duration ``2 hari``, condition."""
    plain = clean(normalise(text))
    match = re.search(r"(\d+)\s*(?:\([a-z\s]+\)\s*)?(menit|jam|hari(?:\s+kerja)?)\b", plain, re.I)
    if not match:
        return None
    unit = match.group(2).lower().split()[0]
    result: dict[str, Any] = {"text": plain, "duration": f"{int(match.group(1))} {unit}"}
    rest = plain[match.end() :].strip()
    condition = re.match(r"^\(([^)]*)\)", rest)
    if condition:
        result["condition"] = condition.group(1).strip()
    elif rest:
        result["condition"] = rest.strip(" ,;.-")
    return result


def fee_of(text: str) -> dict[str, Any]:
    """GRATIS → 0; an amount in rupiah; a formula or a tax under another regulation → text, amount unknown."""
    plain = clean(normalise(text))
    lowered = plain.lower()
    formula = re.search(
        r"pajak|retribusi|perda|peraturan daerah|tarif\s*x|×|\bx\b|%|dikali|rumus|sesuai ketentuan"
        r"|\bper\s|setiap\s|/\s*m",
        lowered,
    )
    amounts = re.findall(r"rp\.?\s*([\d.]+)(?:,-|,00)?", lowered)
    if amounts and not formula:
        return {"amount": int(amounts[0].replace(".", "")), "text": plain}
    if re.search(r"gratis|tidak (?:dipungut|berbiaya|dikenakan)|tanpa biaya|rp\.?\s*0\b", lowered) and not formula:
        return {"amount": 0, "text": plain}
    return {"amount": None, "text": plain}


def staff_count_of(text: str) -> dict[str, Any]:
    plain = normalise(text)
    head, bullets = split_bullets(plain)
    breakdown = [clean(b.text) for b in bullets]
    note = ""
    if breakdown and " * " in f" {breakdown[-1]} ":
        last, _, rest = breakdown[-1].partition("* ")
        breakdown[-1], note = last.strip(), f"* {rest.strip()}"
    elif "* " in head:
        head, _, rest = head.partition("* ")
        note = f"* {rest.strip()}"
    total_match = re.search(r"(\d+)\s*orang", clean(head)) or re.search(r"(\d+)", clean(head))
    if total_match:
        total = int(total_match.group(1))
    else:
        numbers = [int(m) for b in breakdown for m in re.findall(r"^(\d+)", b)]
        total = sum(numbers) or 1
    result: dict[str, Any] = {"total": max(total, 1), "text": clean(head), "breakdown": breakdown}
    if note:
        result["note"] = note
    return result
