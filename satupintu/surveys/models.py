"""
The SKM questionnaire, its anonymous responses, import batches, used invitations and follow-up plans.

Responses carry no name, NIK, account or application: the respondent profile is the coarse one
the regulation asks for (sex, age band, education, occupation, service used). An online answer
is let in by a signed invitation token; the token's digest is kept apart from the answer
(``InvitationUse``) so an invitation answers once and no answer can be traced back to it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from satupintu.catalogue.models import Service
from satupintu.core.models import OfficeOwned


class Questionnaire(models.Model):
    """One version of the questionnaire (the nine elements and their answer wording)."""

    code = models.SlugField("kode", max_length=60, unique=True)
    title = models.CharField("judul", max_length=200)
    valid_from = models.DateField("berlaku sejak")
    active = models.BooleanField("dipakai", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kuesioner SKM"
        verbose_name_plural = "kuesioner SKM"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return self.title


class SurveyElement(models.Model):
    """An element (unsur) U1–U9 with its question and the wording of answers 1–4."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="elements")
    code = models.CharField("kode unsur", max_length=3)
    position = models.PositiveSmallIntegerField("urutan pada kuesioner")
    regulation_number = models.PositiveSmallIntegerField(
        "nomor unsur pada peraturan", help_text="Urutan daftar unsur PermenPANRB 14/2017 (pengaduan sebelum sarana)."
    )
    name = models.CharField("unsur", max_length=120)
    question = models.TextField("pertanyaan")
    answer_1 = models.CharField("jawaban 1", max_length=80)
    answer_2 = models.CharField("jawaban 2", max_length=80)
    answer_3 = models.CharField("jawaban 3", max_length=80)
    answer_4 = models.CharField("jawaban 4", max_length=80)

    class Meta:
        verbose_name = "unsur SKM"
        verbose_name_plural = "unsur SKM"
        ordering = ["questionnaire", "position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="survey_element_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def answers(self) -> list[tuple[int, str]]:
        return [(1, self.answer_1), (2, self.answer_2), (3, self.answer_3), (4, self.answer_4)]


class ResponseChannel(models.TextChoices):
    ONLINE = "online", "Daring (tautan undangan)"
    PAPER = "paper", "Kuesioner kertas (dimasukkan petugas)"
    IMPORT = "import", "Impor berkas"


class Sex(models.TextChoices):
    MALE = "L", "Laki-laki"
    FEMALE = "P", "Perempuan"


class AgeBand(models.TextChoices):
    UNDER_20 = "<20", "Di bawah 20 tahun"
    A20_29 = "20-29", "20–29 tahun"
    A30_39 = "30-39", "30–39 tahun"
    A40_49 = "40-49", "40–49 tahun"
    A50_59 = "50-59", "50–59 tahun"
    OVER_60 = "60+", "60 tahun ke atas"


class Education(models.TextChoices):
    SD = "sd", "SD ke bawah"
    SMP = "smp", "SMP"
    SMA = "sma", "SMA/SMK"
    D3 = "d3", "D1–D3"
    S1 = "s1", "D4/S1"
    S2 = "s2", "S2 ke atas"


class Occupation(models.TextChoices):
    PNS = "pns", "PNS/TNI/Polri"
    PRIVATE = "swasta", "Pegawai swasta"
    SELF = "wirausaha", "Wirausaha"
    STUDENT = "pelajar", "Pelajar/Mahasiswa"
    HEALTH = "tenaga_kesehatan", "Tenaga kesehatan"
    OTHER = "lainnya", "Lainnya"


class BatchStatus(models.TextChoices):
    PENDING = "pending", "Menunggu persetujuan"
    APPROVED = "approved", "Disetujui (dihitung)"
    REJECTED = "rejected", "Ditolak (tidak dihitung)"


class SurveyBatch(OfficeOwned):
    """
    One bundle of answers not given online: a stack of paper questionnaires collected on a day at
    a place by an officer, or an imported file. Its answers count in the IKM only once a second
    officer (neither the one who collected nor the one who entered them) has approved it.
    """

    kind = models.CharField("asal", max_length=10, choices=ResponseChannel.choices, default=ResponseChannel.IMPORT)
    filename = models.CharField("nama berkas", max_length=200, blank=True)
    collected_on = models.DateField("tanggal pengumpulan", null=True, blank=True)
    place = models.CharField("tempat pengumpulan", max_length=200, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="petugas pengumpul",
    )
    period = models.CharField("periode", max_length=12, blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="layanan"
    )
    count = models.PositiveIntegerField("jumlah responden")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("diimpor pada")
    status = models.CharField(
        "status", max_length=10, choices=BatchStatus.choices, default=BatchStatus.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="diperiksa oleh",
    )
    decided_at = models.DateTimeField("diperiksa pada", null=True, blank=True)
    decision_note = models.TextField("catatan pemeriksaan", blank=True)

    class Meta:
        verbose_name = "kelompok jawaban SKM"
        verbose_name_plural = "kelompok jawaban SKM"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename or self.place} ({self.count})"


def _answer_field(number: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(f"U{number}", validators=[MinValueValidator(1), MaxValueValidator(4)])


class SurveyResponse(OfficeOwned):
    """One respondent's completed questionnaire (nine answers of 1–4), anonymous."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="layanan"
    )
    batch = models.ForeignKey(SurveyBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="responses")
    channel = models.CharField("cara pengisian", max_length=10, choices=ResponseChannel.choices)
    period = models.CharField("periode", max_length=12)
    period_start = models.DateField("awal periode")
    period_end = models.DateField("akhir periode")
    u1 = _answer_field(1)
    u2 = _answer_field(2)
    u3 = _answer_field(3)
    u4 = _answer_field(4)
    u5 = _answer_field(5)
    u6 = _answer_field(6)
    u7 = _answer_field(7)
    u8 = _answer_field(8)
    u9 = _answer_field(9)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField("usia", max_length=6, choices=AgeBand.choices, blank=True)
    education = models.CharField("pendidikan", max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField("pekerjaan", max_length=20, choices=Occupation.choices, blank=True)
    suggestion = models.TextField("saran", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Petugas yang memasukkan kuesioner kertas atau berkas impor; kosong untuk isian daring.",
    )
    created_on = models.DateField("dicatat pada")

    class Meta:
        verbose_name = "jawaban SKM"
        verbose_name_plural = "jawaban SKM"
        indexes = [
            models.Index(fields=["office", "period_start", "period_end"]),
            models.Index(fields=["service", "period_start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    u1__gte=1,
                    u1__lte=4,
                    u2__gte=1,
                    u2__lte=4,
                    u3__gte=1,
                    u3__lte=4,
                    u4__gte=1,
                    u4__lte=4,
                    u5__gte=1,
                    u5__lte=4,
                    u6__gte=1,
                    u6__lte=4,
                    u7__gte=1,
                    u7__lte=4,
                    u8__gte=1,
                    u8__lte=4,
                    u9__gte=1,
                    u9__lte=4,
                ),
                name="survey_answers_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"SKM {self.period} #{self.pk}"


class InvitationUse(OfficeOwned):
    """An invitation that has been answered: the digest of its token, with no link to the answer."""

    digest = models.CharField(max_length=64, unique=True)
    used_on = models.DateField("dipakai pada")

    class Meta:
        verbose_name = "undangan terpakai"
        verbose_name_plural = "undangan terpakai"

    def __str__(self) -> str:
        return self.digest[:12]


class PlanStatus(models.TextChoices):
    PLANNED = "planned", "Direncanakan"
    IN_PROGRESS = "in_progress", "Sedang dilaksanakan"
    DONE = "done", "Selesai"


class FollowUpPlan(OfficeOwned):
    """
    A follow-up plan for an element graded below *Baik* in a period.

    Seed, Evaluasi kinerja pelaksana a.4: results perceived "kurang baik" are discussed with the
    units concerned and a follow-up plan is made for the elements still rated low.
    """

    period = models.CharField("periode", max_length=12)
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="layanan"
    )
    element_code = models.CharField("unsur", max_length=3)
    action = models.TextField("rencana tindak lanjut")
    owner = models.CharField("penanggung jawab", max_length=200)
    due_on = models.DateField("target waktu")
    status = models.CharField("status", max_length=12, choices=PlanStatus.choices, default=PlanStatus.PLANNED)
    done_note = models.TextField("catatan penyelesaian", blank=True)
    done_on = models.DateField("selesai pada", null=True, blank=True)
    published = models.BooleanField(
        "diumumkan", default=False, help_text="Tampil di halaman publik hasil survei kepuasan."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("dibuat")
    updated_at = models.DateTimeField("diubah")

    class Meta:
        verbose_name = "rencana tindak lanjut SKM"
        verbose_name_plural = "rencana tindak lanjut SKM"
        ordering = ["period", "element_code", "due_on"]
        indexes = [models.Index(fields=["office", "period"])]

    def __str__(self) -> str:
        return f"{self.period} {self.element_code}: {self.action[:40]}"
