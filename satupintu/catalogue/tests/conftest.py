import copy

import pytest
import yaml

MINIMAL = {
    "code": "izin-contoh",
    "name": "Izin Contoh",
    "short_code": "IC",
    "source": {"title": "Standar Pelayanan Izin Contoh", "publisher": "DPMPTSP Kota Contoh", "document": "contoh.txt"},
    "requirements": [
        {"key": "surat_permohonan", "label": "Surat Permohonan"},
        {"key": "ktp", "label": "Foto copy KTP", "photocopy": True},
    ],
    "procedure": "Terlampir",
    "completion_time": {"text": "1 hari kerja", "duration": "1 hari"},
    "fee": {"amount": 0, "text": "GRATIS"},
    "product": {"name": "Surat Izin Contoh"},
    "complaints": {
        "intro": "Pengaduan disampaikan melalui:",
        "channels": [{"kind": "in_person", "label": "Langsung", "text": "Di loket pengaduan."}],
        "procedure": [{"label": "b.", "text": "Pengaduan ringan dijawab langsung."}],
    },
    "legal_basis": [{"label": "a.", "text": "Undang-Undang Nomor 25 tahun 2009 tentang Pelayanan Publik"}],
    "facilities": [{"label": "a.", "text": "Meja+Kursi"}],
    "competence": [{"group": "Petugas Front Office", "roles": ["front_office"], "items": [{"text": "Teliti"}]}],
    "internal_supervision": [{"label": "a.", "text": "Kartu kendali."}],
    "staff_count": {"total": 2, "text": "2 orang", "breakdown": ["1 orang petugas Front Office", "1 orang pejabat"]},
    "service_guarantees": [{"label": "a.", "text": "SMS bila selesai."}],
    "safety_guarantees": [{"label": "a.", "text": "CCTV."}],
    "performance_evaluation": {"text": "Evaluasi:", "items": [{"label": "a.", "text": "Survei."}]},
    "application_form": [
        {
            "title": "Identitas",
            "fields": [
                {"key": "nama", "label": "Nama lengkap", "purpose": "applicant_name"},
                {"key": "nik", "label": "NIK", "type": "nik", "purpose": "applicant_nik", "personal": True},
                {"key": "no_hp", "label": "Nomor HP", "type": "phone", "purpose": "applicant_phone", "personal": True},
                {"key": "nomor_izin_lama", "label": "Nomor izin lama", "renewal_only": True},
            ],
        }
    ],
    "numbering": {"format": "503/{seq:04d}/IC/{roman_month}/{year}"},
    "permit": {"title": "SURAT IZIN CONTOH", "validity": "years", "years": 5},
    "sop": {
        "total_time": "1 hari kerja",
        "steps": [
            {
                "number": 1,
                "kind": "submit",
                "roles": ["pemohon"],
                "activity": "Pemohon memasukkan berkas",
                "inputs": "Surat permohonan",
                "time": "5 menit",
                "output": "Berkas",
                "outcomes": ["submitted"],
            },
            {
                "number": 2,
                "kind": "completeness_check",
                "roles": ["front_office"],
                "activity": "Periksa berkas",
                "inputs": "Berkas",
                "time": "10 menit",
                "output": "Berkas lengkap",
                "outcomes": ["complete", "incomplete"],
            },
            {
                "number": 3,
                "kind": "sign",
                "roles": ["kepala_dinas"],
                "activity": "Tanda tangan",
                "inputs": "Draf",
                "time": "1 hari",
                "output": "Surat",
                "outcomes": ["approve", "revise"],
            },
            {
                "number": 4,
                "kind": "handover",
                "roles": ["front_office", "pemohon"],
                "activity": "Serahkan",
                "inputs": "Surat",
                "time": "1 menit",
                "output": "Surat",
                "outcomes": ["pickup", "download"],
            },
        ],
    },
}


@pytest.fixture
def minimal_standard():
    """A valid standard as data; tests mutate their own deep copy."""
    return copy.deepcopy(MINIMAL)


def as_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
