"""
Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under ``/open311/v2/``: discovery,
services (the complaint categories), service definitions, requests (POST with an ``api_key``, GET
with filters), one request by id, and tokens — each as ``.json`` or ``.xml``.

``jurisdiction_id`` names the office (its slug); without it, the default office. Datetimes are UTC
with ``Z``. A request's ``service_request_id`` is the complaint's ticket. Public answers carry no
identity: Open311 has no identity fields in its answers, and a complaint is a placeholder (ticket,
status, dates) until an officer has reviewed it for publication; then its description is the
reviewed public text, with personal data removed (never a confidential complaint).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from satupintu.complaints import rules as rulebook
from satupintu.complaints import selectors, services
from satupintu.complaints.models import Complaint, ComplaintChannel, ComplaintStatus, Open311Key
from satupintu.core.errors import DomainError, InvalidData, NotFound
from satupintu.core.models import Office
from satupintu.core.selectors import office_default, office_get

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-03-01T00:00:00Z"
FORMATS = {"json": "application/json", "xml": "text/xml"}
MAX_RESULTS = 1000
DEFAULT_WINDOW_DAYS = 90
#: Service attributes every category has (GeoReport v2 service definition).
ATTRIBUTES = [
    {
        "variable": True,
        "code": "jenis",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "pengaduan, saran atau masukan",
        "order": 1,
        "description": "Jenis",
        "values": [
            {"key": "pengaduan", "name": "Pengaduan"},
            {"key": "saran", "name": "Saran"},
            {"key": "masukan", "name": "Masukan"},
        ],
    },
    {
        "variable": True,
        "code": "nomor_permohonan",
        "datatype": "string",
        "required": False,
        "datatype_description": "Nomor registrasi permohonan, mis. PKU-2026-000123",
        "order": 2,
        "description": "Nomor permohonan yang diadukan",
        "values": [],
    },
]


class Open311Error(Exception):
    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def utc(value: dt.datetime | None) -> str | None:
    """W3C datetime in UTC with ``Z``."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- rendering ---------------------------------------------------------------------------------------


def _xml_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_fill(parent: ET.Element, data: dict[str, Any], lists: dict[str, str]) -> None:
    for key, value in data.items():
        child = ET.SubElement(parent, key)
        if isinstance(value, list):
            item_tag = lists.get(key, "item")
            for item in value:
                node = ET.SubElement(child, item_tag)
                if isinstance(item, dict):
                    _xml_fill(node, item, lists)
                else:
                    node.text = _xml_value(item)
        elif isinstance(value, dict):
            _xml_fill(child, value, lists)
        else:
            child.text = _xml_value(value)


#: XML element names of list items (GeoReport v2).
XML_LISTS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


def render(fmt: str, body: Any, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    """JSON as given; XML with ``root`` holding one ``item`` per list element (or the object's fields)."""
    if fmt == "json":
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8", status=status
        )
    element = ET.Element(root)
    if isinstance(body, list):
        for entry in body:
            _xml_fill(ET.SubElement(element, item or "item"), entry, XML_LISTS)
    else:
        _xml_fill(element, body, XML_LISTS)
    text = ET.tostring(element, encoding="unicode")
    return HttpResponse(
        '<?xml version="1.0" encoding="utf-8"?>' + text, content_type="text/xml; charset=utf-8", status=status
    )


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, [{"code": status, "description": description}], root="errors", item="error", status=status)


def open311_view(view: Any) -> Any:
    """Check the format, turn errors into GeoReport error lists."""

    def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return _error("json", 404, "Format tidak dikenal: gunakan .json atau .xml.")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return _error(fmt, exc.status, exc.description)
        except InvalidData as exc:
            detail = "; ".join(f"{k}: {v}" for k, v in exc.errors.items()) or exc.message
            return _error(fmt, 400, detail)
        except DomainError as exc:
            return _error(fmt, exc.http_status if exc.http_status != 422 else 400, exc.message)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _office(request: HttpRequest) -> Office:
    slug = request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
    try:
        return office_get(slug) if slug else office_default()
    except NotFound as exc:
        raise Open311Error(404, exc.message) from None


# --- shapes -----------------------------------------------------------------------------------------


def service_of(category: Any) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "batch",
        "keywords": ", ".join(category.keywords or []),
        "group": category.group,
    }


#: What Open311 says of a complaint no officer has reviewed for publication yet.
UNREVIEWED_NOTE = "Menunggu peninjauan petugas sebelum dipublikasikan"


def request_of(complaint: Complaint, office: Office) -> dict[str, Any]:
    """
    One service request (GeoReport v2 field list). Until an officer has reviewed the complaint
    for publication (``services.complaint_publication_review``) it is a placeholder: its ticket,
    status and dates, and nothing that the complainant wrote or where. Once reviewed, the
    description is the reviewed public text, never the complaint's own.
    """
    closed = complaint.status == ComplaintStatus.ANSWERED
    last = complaint.events.order_by("-seq").values_list("at", flat=True).first()
    rule = rulebook.rules().weights.get(complaint.weight)
    published = complaint.published_at is not None and not complaint.confidential
    return {
        "service_request_id": complaint.ticket,
        "status": "closed" if closed else "open",
        "status_notes": complaint.get_status_display() if published else UNREVIEWED_NOTE,
        "service_name": complaint.category.name if complaint.category else "",
        "service_code": complaint.category.code if complaint.category else "",
        "description": complaint.public_text if published else "",
        "agency_responsible": office.name,
        "service_notice": f"Ditanggapi paling lambat {rule.deadline_working_days} hari kerja" if rule else "",
        "requested_datetime": utc(complaint.received_at),
        "updated_datetime": utc(last or complaint.updated_at),
        "expected_datetime": utc(complaint.due_at),
        "address": complaint.address_string if published else "",
        "address_id": "",
        "zipcode": "",
        "lat": float(complaint.latitude) if complaint.latitude is not None and published else None,
        "long": float(complaint.longitude) if complaint.longitude is not None and published else None,
        "media_url": "",
    }


# --- views ------------------------------------------------------------------------------------------


@require_GET
@open311_view
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Where the endpoint is and what it speaks."""
    office = _office(request)
    url = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("discovery", 1)[0]
    body = {
        "changeset": CHANGESET,
        "contact": " · ".join(x for x in (office.name, office.phone, office.email) if x),
        "key_service": "Kunci API (api_key) diberikan oleh admin kantor.",
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(FORMATS.values()),
            }
        ],
    }
    return render(fmt, body, root="discovery")


@require_GET
@open311_view
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """The complaint categories as services."""
    office = _office(request)
    return render(fmt, [service_of(c) for c in selectors.categories_for(office)], root="services", item="service")


@require_GET
@open311_view
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    office = _office(request)
    if code not in {c.code for c in selectors.categories_for(office)}:
        raise Open311Error(404, f"Layanan {code} tidak dikenal.")
    return render(fmt, {"service_code": code, "attributes": ATTRIBUTES}, root="service_definition")


def _key(request: HttpRequest, office: Office) -> Open311Key:
    key = request.POST.get("api_key", "")
    row = (
        Open311Key.objects.filter(key_hash=hashlib.sha256(key.encode()).hexdigest(), active=True).first()
        if key
        else None
    )
    if row is None or row.office_id != office.pk:
        raise Open311Error(403, "api_key tidak valid untuk yurisdiksi ini.")
    return row


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    office = _office(request)
    client = _key(request, office)
    data = request.POST
    code = data.get("service_code", "")
    if not code:
        raise Open311Error(400, "service_code wajib diisi.")
    if code not in {c.code for c in selectors.categories_for(office)}:
        raise Open311Error(404, f"Layanan {code} tidak dikenal.")
    name = " ".join(x for x in (data.get("first_name", "").strip(), data.get("last_name", "").strip()) if x)
    kind = data.get("attribute[jenis]", "") or "pengaduan"

    def coordinate(value: str) -> float | None:
        try:
            return round(float(value), 6) if value else None
        except ValueError:
            raise Open311Error(400, "lat/long harus berupa angka.") from None

    complaint = services.complaint_register(
        office=office,
        channel=ComplaintChannel.WEBSITE,
        kind=kind,
        category=code,
        description=data.get("description", ""),
        name=name,
        anonymous=not name,
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        application_number=data.get("attribute[nomor_permohonan]", ""),
        latitude=coordinate(data.get("lat", "")),
        longitude=coordinate(data.get("long", "")),
        address_string=data.get("address_string", ""),
        source=f"Open311: {client.name}",
        open311=True,
    )
    body = [
        {
            "service_request_id": complaint.ticket,
            "token": complaint.open311_token,
            "service_notice": f"Kode untuk melihat status: {complaint.access_code}",
            "account_id": "",
        }
    ]
    return render(fmt, body, root="service_requests", item="request", status=201)


def _since(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None or parsed.tzinfo is None:
        raise Open311Error(400, f"{name} harus berupa waktu W3C dengan zona, mis. 2026-03-01T00:00:00Z.")
    return parsed


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def request_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """GET: requests filtered by id, service_code, start_date, end_date and status; POST: a new request."""
    if request.method == "POST":
        return _create(request, fmt)
    office = _office(request)
    rows = Complaint.objects.filter(office=office).select_related("category")
    ids = [x.strip() for x in request.GET.get("service_request_id", "").split(",") if x.strip()]
    if ids:
        rows = rows.filter(ticket__in=ids)
    else:
        start = _since(request.GET.get("start_date", ""), "start_date")
        end = _since(request.GET.get("end_date", ""), "end_date")
        if start is None and end is None:
            start = dt.datetime.now(dt.UTC) - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        if start:
            rows = rows.filter(received_at__gte=start)
        if end:
            rows = rows.filter(received_at__lte=end)
        codes = [x for x in request.GET.get("service_code", "").split(",") if x]
        if codes:
            rows = rows.filter(category__code__in=codes)
        statuses = [x for x in request.GET.get("status", "").split(",") if x]
        if set(statuses) - {"open", "closed"}:
            raise Open311Error(400, "status harus open atau closed.")
        if statuses == ["open"]:
            rows = rows.exclude(status=ComplaintStatus.ANSWERED)
        elif statuses == ["closed"]:
            rows = rows.filter(status=ComplaintStatus.ANSWERED)
    body = [request_of(c, office) for c in rows.order_by("-received_at", "-id")[:MAX_RESULTS]]
    return render(fmt, body, root="service_requests", item="request")


@require_GET
@open311_view
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    office = _office(request)
    complaint = Complaint.objects.filter(office=office, ticket=request_id).select_related("category").first()
    if complaint is None:
        raise Open311Error(404, f"Permintaan {request_id} tidak ditemukan.")
    return render(fmt, [request_of(complaint, office)], root="service_requests", item="request")


@require_GET
@open311_view
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    office = _office(request)
    complaint = Complaint.objects.filter(office=office, open311_token=token).first()
    if complaint is None:
        raise Open311Error(404, "Token tidak ditemukan.")
    return render(
        fmt, [{"service_request_id": complaint.ticket, "token": token}], root="service_requests", item="request"
    )
