"""
The schema of a service standard file (``standards/*.yaml``).

A file holds the 14 components of PermenPANRB 15/2014 — six of service delivery, eight of
manufacturing — and the SOP flow table (DESIGN §4). Every clause may say where it comes from:
by default from the seed document the file transcribes; a clause filled from elsewhere (for
instance the legal basis a truncated seed cites) carries ``provenance`` with ``from_seed: false``
and its source, and the public page marks it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from satupintu.accounts.roles import SOP_ROLES, Role
from satupintu.catalogue.step_kinds import KINDS
from satupintu.workdays import WorkingDuration

SCHEMA_VERSION = 1

RoleCode = Literal[
    "pemohon",
    "front_office",
    "back_office",
    "tim_teknis",
    "analis_muda",
    "analis_madya",
    "sekretaris",
    "kepala_dinas",
    "bendahara_penerima",
]


def _check_roles(value: list[str], info: ValidationInfo) -> list[str]:
    """
    Step and competence roles are built-in role codes or, when the standard is loaded for an
    office (context ``roles``), that office's own roles. A stored definition is re-read with
    ``stored`` in the context: it was checked when it was written, against its office's roles.
    """
    context = info.context or {}
    if context.get("stored"):
        return value
    allowed = context.get("roles") or SOP_ROLES
    unknown = [code for code in value if code not in allowed]
    if unknown:
        raise ValueError(f"peran tidak dikenal: {', '.join(unknown)}; yang dikenal: {', '.join(sorted(allowed))}")
    return value


# Step kinds the engine knows and the outcomes each may allow: the one table (step_kinds.py).
STEP_KIND_OUTCOMES: dict[str, frozenset[str]] = {code: kind.codes for code, kind in KINDS.items()}

_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Strict):
    """Where a clause comes from when it is not transcribed from the seed."""

    from_seed: bool = True
    source: str = ""
    verified: bool = True
    note: str = ""

    @model_validator(mode="after")
    def _source_when_not_from_seed(self) -> Provenance:
        if not self.from_seed and not self.source.strip():
            raise ValueError("klausul yang tidak berasal dari naskah sumber wajib menyebut sumbernya (source)")
        return self


class Clause(Strict):
    """A lettered or numbered clause of text, possibly with sub-clauses."""

    label: str = ""
    text: str
    items: list[Clause] = Field(default_factory=list)
    provenance: Provenance = Provenance()


class Requirement(Strict):
    key: Annotated[str, Field(pattern=_KEY_RE.pattern)]
    label: str
    quantity: int = Field(default=1, ge=1)
    photocopy: bool = Field(default=False, description="fotokopi (bukan asli)")
    legalised: bool = Field(default=False, description="dilegalisir basah")
    original: bool = Field(default=False, description="asli")
    renewal_only: bool = False
    new_only: bool = False
    note: str = ""
    provenance: Provenance = Provenance()


class CompletionTime(Strict):
    text: str
    duration: str
    condition: str = ""
    provenance: Provenance = Provenance()

    @field_validator("duration")
    @classmethod
    def _parse_duration(cls, value: str) -> str:
        WorkingDuration.parse(value)
        return value


#: Wording that sets a fee without an amount or kind: free of charge, or a tax another agency collects.
_FREE_WORDS = re.compile(r"\bgratis\b|tidak dipungut biaya|tanpa biaya|tidak berbiaya", re.IGNORECASE)
_TAX_WORDS = re.compile(r"\bpajak\b", re.IGNORECASE)


FeeKind = Literal["free", "fixed", "formula", "tax"]
Rounding = Literal["half_up", "down", "up"]


class FeeTier(Strict):
    """One tier of a formula: the rate per unit when the quantity is at most ``up_to`` (None: any quantity above)."""

    up_to: Decimal | None = Field(default=None, gt=0)
    rate: Decimal = Field(ge=0)


class FeeFormula(Strict):
    """
    A fee computed from the application form: rate per unit × quantity (× period), in a currency.

    ``tiers``: the rate is the one of the first tier whose ``up_to`` is at least the quantity,
    applied to every unit (not progressively); without tiers, ``rate``. A foreign currency is
    paid in rupiah at the rate ``conversion`` names (the office records the day's rate); the
    rupiah amount is rounded to ``round_to`` rupiah by ``rounding`` (``catalogue/fees.py``).
    """

    currency: Literal["IDR", "USD"] = "IDR"
    rate: Decimal | None = Field(default=None, ge=0, description="tarif per satuan (per periode)")
    unit: str = Field(description="satuan, mis. 'orang' atau 'm²'")
    quantity_field: str = Field(description="kunci isian formulir (number) yang memuat jumlah satuan")
    period_field: str = Field(default="", description="kunci isian formulir (number) yang memuat jumlah periode")
    period_unit: str = Field(default="", description="satuan periode, mis. 'bulan'")
    tiers: list[FeeTier] = Field(default_factory=list)
    minimum: Decimal | None = Field(default=None, ge=0, description="biaya paling sedikit (dalam mata uang tarif)")
    conversion: str = Field(default="", description="aturan kurs untuk mata uang asing, mis. kurs KMK hari SKRD")
    rounding: Rounding = "half_up"
    round_to: int = Field(default=1, ge=1, description="dibulatkan ke kelipatan rupiah ini")

    @model_validator(mode="after")
    def _check_formula(self) -> FeeFormula:
        if self.rate is None and not self.tiers:
            raise ValueError("rumus biaya wajib menyebut rate atau tiers")
        if self.tiers and any(t.up_to is None for t in self.tiers[:-1]):
            raise ValueError("hanya tingkat terakhir yang boleh tanpa up_to")
        bounds = [t.up_to for t in self.tiers if t.up_to is not None]
        if bounds != sorted(bounds):
            raise ValueError("tingkat tarif wajib berurutan menurut up_to")
        if self.currency != "IDR" and not self.conversion.strip():
            raise ValueError("biaya dalam mata uang asing wajib menyebut aturan kursnya (conversion)")
        if bool(self.period_field) != bool(self.period_unit):
            raise ValueError("period_field dan period_unit diisi bersama")
        return self


class Fee(Strict):
    """
    What the service costs (komponen 4): free, a fixed amount, a formula over the form, or a tax
    under another regulation that this office does not collect — each with its legal basis.

    ``amount`` keeps its old meaning (rupiah; 0 free; empty unknown); ``kind`` defaults from it.
    A ``formula`` or a ``tax`` fee has no fixed amount and is still set (``is_set``).
    """

    kind: FeeKind | None = Field(default=None, description="kosong: dari amount (0 gratis, > 0 tetap)")
    amount: int | None = Field(default=None, ge=0, description="rupiah; 0 = gratis; kosong = belum diketahui")
    text: str
    legal_basis: str = Field(default="", description="dasar hukum tarif: peraturan, pasal, lampiran")
    formula: FeeFormula | None = None
    collected_by: str = Field(default="", description="pajak: instansi yang memungut (bukan kantor ini)")
    payment_time_counted: bool = Field(
        default=False, description="waktu menunggu pembayaran dihitung dalam jangka waktu layanan"
    )
    due_days: int = Field(default=30, ge=1, le=90, description="SKRD jatuh tempo (hari kalender sejak terbit)")
    grace_days: int = Field(
        default=7, ge=1, le=30, description="hari kalender setelah surat teguran sebelum permohonan ditutup"
    )
    provenance: Provenance = Provenance()

    @model_validator(mode="after")
    def _check_kind(self) -> Fee:
        kind = self.kind
        if kind == "free" and self.amount not in (None, 0):
            raise ValueError("biaya gratis tidak boleh menyebut amount selain 0")
        if kind == "fixed" and not self.amount:
            raise ValueError("biaya tetap wajib menyebut amount (rupiah, lebih dari 0)")
        if kind == "formula" and (self.formula is None or self.amount is not None):
            raise ValueError("biaya berumus wajib menyebut formula dan tidak menyebut amount")
        if kind != "formula" and self.formula is not None:
            raise ValueError("formula hanya untuk biaya berjenis formula")
        if kind == "tax" and (not self.collected_by.strip() or self.amount is not None):
            raise ValueError("pajak wajib menyebut collected_by (instansi pemungut) dan tidak menyebut amount")
        if kind in {"fixed", "formula", "tax"} and not self.legal_basis.strip():
            raise ValueError(f"biaya berjenis {kind} wajib menyebut dasar hukumnya (legal_basis)")
        return self

    @property
    def effective_kind(self) -> FeeKind | None:
        """The kind, read from ``amount`` for files written before kinds (None: not set)."""
        if self.kind is not None:
            return self.kind
        if self.amount is not None:
            return "free" if self.amount == 0 else "fixed"
        # Files written before kinds say it in words: free of charge, or a tax another agency collects.
        # A levy the office collects itself (retribusi) needs its amount or formula: not set.
        if _FREE_WORDS.search(self.text):
            return "free"
        if _TAX_WORDS.search(self.text):
            return "tax"
        return None

    @property
    def is_set(self) -> bool:
        """Whether the office has set the fee (applications may be taken): a formula or tax counts."""
        return self.effective_kind is not None

    @property
    def charged(self) -> bool:
        """Whether this office bills the applicant (a fixed amount or a formula; a tax is paid elsewhere)."""
        return self.effective_kind in {"fixed", "formula"}


class Product(Strict):
    name: str
    provenance: Provenance = Provenance()


class ComplaintChannel(Strict):
    kind: Literal["letter", "internet", "phone", "in_person"]
    number: str = Field(default="", description="nomor butir pada naskah, mis. 'a.1.'")
    label: str
    text: str
    address: str = ""
    email: str = ""
    website: str = ""
    phone: str = ""
    fax: str = ""
    sms: str = ""
    provenance: Provenance = Provenance()


class ComplaintHandling(Strict):
    intro: str
    intro_provenance: Provenance = Provenance()
    channels_label: str = Field(default="", description="label butir saluran, mis. 'a.'")
    channels_text: str = Field(default="", description="kalimat pembuka butir saluran")
    channels: list[ComplaintChannel]
    procedure: list[Clause] = Field(description="klausul b sampai k")


class Competence(Strict):
    label: str = ""
    group: str
    roles: list[str] = Field(default_factory=list)
    items: list[Clause]
    provenance: Provenance = Provenance()

    _roles = field_validator("roles")(_check_roles)


class StaffCount(Strict):
    total: int = Field(ge=1)
    text: str
    breakdown: list[str]
    note: str = ""
    provenance: Provenance = Provenance()


class SopStep(Strict):
    number: int = Field(ge=1, description="urutan langkah dalam mesin SOP")
    seed_number: int | None = Field(default=None, description="nomor baris pada tabel SOP naskah sumber")
    label: str = Field(default="", description="nomor yang ditampilkan, mis. '2a' untuk langkah tersirat")
    kind: str = Field(description="jenis langkah, salah satu dari tabel step_kinds.KINDS")
    roles: list[str] = Field(min_length=1, description="pelaksana; yang pertama yang mengerjakan langkah")
    activity: str
    inputs: str = Field(description="kelengkapan")
    time: str = Field(description="waktu, mis. '3 menit' atau '1 hari'")
    output: str
    outcomes: list[str] = Field(min_length=1)
    note: str = Field(default="", description="keterangan")
    implied_by: int | None = Field(default=None, description="nomor baris naskah yang menyiratkan langkah ini")
    provenance: Provenance = Provenance()

    @field_validator("time")
    @classmethod
    def _parse_time(cls, value: str) -> str:
        WorkingDuration.parse(value)
        return value

    _roles = field_validator("roles")(_check_roles)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str) -> str:
        if value not in KINDS:
            raise ValueError(f"jenis langkah tidak dikenal: {value}; yang dikenal: {', '.join(KINDS)}")
        return value

    @model_validator(mode="after")
    def _check_outcomes(self) -> SopStep:
        allowed = STEP_KIND_OUTCOMES[self.kind]
        unknown = [o for o in self.outcomes if o not in allowed]
        if unknown:
            raise ValueError(
                f"hasil {', '.join(unknown)} tidak dikenal untuk langkah jenis {self.kind}; "
                f"yang boleh: {', '.join(sorted(allowed))}"
            )
        if self.implied_by is not None and self.provenance.from_seed:
            raise ValueError("langkah tersirat (implied_by) harus diberi provenance from_seed: false")
        return self


class Sop(Strict):
    title: str = ""
    total_time: str
    steps: list[SopStep] = Field(min_length=2)

    @model_validator(mode="after")
    def _check_steps(self) -> Sop:
        numbers = [s.number for s in self.steps]
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"nomor langkah harus berurutan 1..{len(numbers)}, tertulis {numbers}")
        for code, kind in KINDS.items():
            if kind.place == "first" and self.steps[0].kind != code:
                raise ValueError(f"langkah pertama harus berjenis {code}")
            if kind.place == "last" and self.steps[-1].kind != code:
                raise ValueError(f"langkah terakhir harus berjenis {code} ({kind.label})")
            if kind.place == "somewhere" and not any(s.kind == code for s in self.steps):
                raise ValueError(f"SOP wajib memuat langkah {kind.label} ({code})")
        return self


FieldType = Literal["text", "textarea", "date", "nik", "phone", "email", "select", "checkbox", "number"]
FieldPurpose = Literal[
    "applicant_name",
    "applicant_nik",
    "applicant_phone",
    "applicant_email",
    "applicant_address",
    "applicant_birth_date",
    "applicant_sex",
]
#: Purposes whose value comes from the applicant's account and that the applicant cannot change.
IDENTITY_PURPOSES = frozenset({"applicant_name", "applicant_nik"})
UploadType = Literal["pdf", "jpg", "png"]
ALL_UPLOAD_TYPES: tuple[UploadType, ...] = ("pdf", "jpg", "png")


class FormField(Strict):
    """One question of the application form: data the permit letter will need."""

    key: Annotated[str, Field(pattern=_KEY_RE.pattern)]
    label: str
    type: FieldType = "text"
    required: bool = True
    help: str = ""
    choices: list[str] = Field(default_factory=list)
    purpose: FieldPurpose | None = Field(
        default=None, description="data pemohon yang juga disimpan sebagai kolom (nama, NIK, HP, surel, alamat)"
    )
    personal: bool = Field(default=False, description="data pribadi: hanya ditampilkan kepada yang berwenang")
    renewal_only: bool = False
    required_unless: str = Field(default="", description="kunci kotak centang yang membuat isian ini tidak wajib")
    max_length: int = Field(default=300, ge=1, le=5000)
    date_rule: Literal["", "past", "future"] = Field(
        default="", description="tanggal yang harus sudah lewat (lahir) atau belum lewat (masa berlaku)"
    )

    @model_validator(mode="after")
    def _choices_for_select(self) -> FormField:
        if self.type == "select" and not self.choices:
            raise ValueError("isian jenis select wajib memiliki choices")
        if self.date_rule and self.type != "date":
            raise ValueError("date_rule hanya untuk isian jenis date")
        if self.purpose == "applicant_birth_date" and self.type != "date":
            raise ValueError("purpose applicant_birth_date wajib berjenis date")
        if self.purpose == "applicant_sex" and (self.type != "select" or len(self.choices) != 2):
            raise ValueError("purpose applicant_sex wajib berjenis select dengan dua pilihan: laki-laki, perempuan")
        return self


class FormSection(Strict):
    title: str
    fields: list[FormField] = Field(min_length=1)


class Uploads(Strict):
    """What the applicant may upload for each requirement."""

    types: list[UploadType] = Field(default_factory=lambda: list(ALL_UPLOAD_TYPES), min_length=1)
    max_size_mb: int = Field(default=5, ge=1, le=50)


class Numbering(Strict):
    """
    The permit number's format, per office, service and year. Placeholders: ``{seq}`` (with a
    format spec such as ``{seq:04d}``), ``{year}``, ``{month}``, ``{roman_month}``,
    ``{short_code}``, ``{office_code}`` (the office's registration prefix, so numbers of several
    offices on one deployment differ).
    """

    format: str

    @field_validator("format")
    @classmethod
    def _check_format(cls, value: str) -> str:
        if "{seq" not in value or "{year" not in value:
            raise ValueError("format nomor wajib memuat {seq} dan {year}")
        try:
            value.format(seq=1, year=2026, month=1, roman_month="I", short_code="X", office_code="X")
        except (KeyError, ValueError, IndexError) as exc:
            raise ValueError(f"format nomor tidak sah: {exc}") from None
        return value


class PermitTerms(Strict):
    """How long the permit is valid, read from the application's data where it follows the STR."""

    title: str = Field(description="judul surat, mis. SURAT IZIN KERJA RADIOGRAFER")
    validity: Literal["follows_str", "years", "unlimited"]
    years: int | None = Field(default=None, ge=1, le=50)
    str_valid_until_field: str = ""
    str_lifetime_field: str = ""
    photo_requirement: str = Field(
        default="", description="kunci persyaratan pas foto pemegang izin yang dicetak pada surat izin"
    )
    organisation_holder: bool = Field(
        default=False,
        description="izin dapat diterbitkan atas nama organisasi (badan usaha, yayasan); bawaan: perorangan saja",
    )
    provenance: Provenance = Provenance()

    @model_validator(mode="after")
    def _check_validity(self) -> PermitTerms:
        if self.validity == "years" and not self.years:
            raise ValueError("masa berlaku 'years' wajib menyebut years")
        if self.validity == "follows_str" and not self.str_valid_until_field:
            raise ValueError("masa berlaku 'follows_str' wajib menyebut str_valid_until_field")
        return self


_MONTHS_RE = re.compile(r"^\s*(\d{1,2})\s+bulan\s*$")


class ComplaintDeadlines(Strict):
    """Working days to answer a complaint about this service, per weight; empty: the office's rules."""

    ringan: int | None = Field(default=None, ge=1, le=60)
    sedang: int | None = Field(default=None, ge=1, le=60)
    berat: int | None = Field(default=None, ge=1, le=120)


class Guarantees(Strict):
    """
    The standard's guarantees the system keeps (Jaminan pelayanan a and b of the seeds; the
    complaint deadlines): the defaults are what the seeds promise.
    """

    ready_sms: bool = Field(default=True, description="SMS (dan surel) kepada pemohon bila produk selesai")
    uncollected_notice_after: str = Field(
        default="1 bulan", description="surat pemberitahuan bila produk belum diambil setelah, mis. '1 bulan'"
    )
    complaint_deadlines: ComplaintDeadlines = ComplaintDeadlines()
    return_deadline: str | None = Field(
        default=None,
        description="batas waktu melengkapi berkas yang dikembalikan, dalam hari kerja (mis. '14 hari'); "
        "kosong: pengaturan kantor",
    )

    @field_validator("return_deadline")
    @classmethod
    def _working_days(cls, value: str | None) -> str | None:
        if value is not None and WorkingDuration.parse(value).unit != "day":
            raise ValueError("batas waktu melengkapi berkas dinyatakan dalam hari kerja, mis. '14 hari'")
        return value

    @field_validator("uncollected_notice_after")
    @classmethod
    def _months(cls, value: str) -> str:
        match = _MONTHS_RE.match(value)
        if not match or int(match.group(1)) < 1:
            raise ValueError("tulis dalam bulan, mis. '1 bulan'")
        return value

    @property
    def uncollected_months(self) -> int:
        """The calendar months after which an uncollected product gets the notice letter."""
        match = _MONTHS_RE.match(self.uncollected_notice_after)
        assert match is not None
        return int(match.group(1))

    def complaint_deadline(self, weight: str) -> int | None:
        """The working days for a complaint of ``weight`` about this service, or None (the office's rules)."""
        value = getattr(self.complaint_deadlines, weight, None)
        return value if isinstance(value, int) else None


class Source(Strict):
    title: str
    publisher: str
    document: str = Field(description="berkas naskah sumber")
    complete: bool = True
    note: str = ""


class ServiceStandardSpec(Strict):
    """One service standard file."""

    schema_version: Literal[1] = 1
    code: str = Field(description="kode layanan, huruf kecil dan tanda hubung")
    name: str
    short_code: str = Field(default="", description="singkatan, mis. SIKR")
    source: Source
    introduction: str = ""
    introduction_provenance: Provenance = Provenance()
    # Service delivery (komponen 1–6).
    requirements: list[Requirement] = Field(min_length=1)
    requirements_note: str = ""
    requirements_provenance: Provenance = Provenance()
    procedure: str = Field(description="komponen 2; biasanya 'Terlampir' (tabel SOP)")
    procedure_provenance: Provenance = Provenance()
    completion_time: CompletionTime
    fee: Fee
    product: Product
    complaints: ComplaintHandling
    # Manufacturing (komponen 7–14).
    legal_basis: list[Clause] = Field(min_length=1)
    facilities: list[Clause] = Field(min_length=1)
    competence: list[Competence] = Field(min_length=1)
    internal_supervision: list[Clause] = Field(min_length=1)
    staff_count: StaffCount
    service_guarantees: list[Clause] = Field(min_length=1)
    safety_guarantees: list[Clause] = Field(min_length=1)
    performance_evaluation: Clause
    sop: Sop
    # Operating configuration (not clauses of the published standard).
    application_form: list[FormSection] = Field(min_length=1)
    uploads: Uploads = Uploads()
    numbering: Numbering
    permit: PermitTerms
    guarantees: Guarantees = Guarantees()

    @field_validator("code")
    @classmethod
    def _check_code(cls, value: str) -> str:
        if not _CODE_RE.match(value):
            raise ValueError("kode layanan hanya boleh huruf kecil, angka dan tanda hubung")
        return value

    @model_validator(mode="after")
    def _check_unique_keys(self) -> ServiceStandardSpec:
        keys = [r.key for r in self.requirements]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(f"kunci persyaratan ganda: {', '.join(duplicates)}")
        fields = [f for section in self.application_form for f in section.fields]
        field_keys = [f.key for f in fields]
        doubled = sorted({k for k in field_keys if field_keys.count(k) > 1})
        if doubled:
            raise ValueError(f"kunci isian formulir ganda: {', '.join(doubled)}")
        purposes = [f.purpose for f in fields if f.purpose]
        for needed in ("applicant_name", "applicant_nik"):
            if purposes.count(needed) != 1:
                raise ValueError(f"formulir wajib memuat tepat satu isian dengan purpose {needed}")
        if len(purposes) != len(set(purposes)):
            raise ValueError("setiap purpose hanya boleh dipakai satu isian")
        by_key = {f.key: f for f in fields}
        for f in fields:
            if f.required_unless and by_key.get(f.required_unless) is None:
                raise ValueError(f"isian {f.key}: required_unless menunjuk isian yang tidak ada: {f.required_unless}")
        for ref in (self.permit.str_valid_until_field, self.permit.str_lifetime_field):
            if ref and ref not in by_key:
                raise ValueError(f"permit menunjuk isian formulir yang tidak ada: {ref}")
        if self.permit.photo_requirement and self.permit.photo_requirement not in keys:
            raise ValueError(f"permit menunjuk persyaratan yang tidak ada: {self.permit.photo_requirement}")
        formula = self.fee.formula
        for ref in (formula.quantity_field, formula.period_field) if formula else ():
            if ref and (ref not in by_key or by_key[ref].type != "number"):
                raise ValueError(f"rumus biaya menunjuk isian formulir berjenis number yang tidak ada: {ref}")
        return self

    def form_fields(self) -> list[FormField]:
        """Every field of the application form, in order."""
        return [f for section in self.application_form for f in section.fields]

    def step(self, number: int) -> SopStep:
        """The SOP step with this engine number."""
        return self.sop.steps[number - 1]

    def requirements_for(self, *, renewal: bool) -> list[Requirement]:
        """The requirements that apply to a new application or to a renewal."""
        return [r for r in self.requirements if not (r.renewal_only and not renewal) and not (r.new_only and renewal)]


assert set(RoleCode.__args__) == SOP_ROLES <= {r.value for r in Role}  # type: ignore[attr-defined]
