"""Documents on an S3-compatible object store (django-storages), configured by environment.

A real local S3 server (s3rver, Node, installed from tests/s3/package.json with `npm ci`)
stands in for the object store of production: the settings are read from the environment
in a separate Python process exactly as a deployment sets them, then a document goes up
and comes back down through the views.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from carecoord.testing import IN_CI
from records.models import Document

from .factories import pdf_bytes, pdf_upload

S3_DIR = Path(django_settings.BASE_DIR) / "tests" / "s3"
BUCKET = "carecoord-documents"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    node = shutil.which("node")
    if node is None:
        if IN_CI:
            pytest.fail("CI=true but node is missing (the S3 test runs s3rver on Node 20+)")
        pytest.skip("node is not installed: the S3 storage test runs against a local s3rver (Node 20+)")
    if not (S3_DIR / "node_modules" / "s3rver").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=S3_DIR, check=True, timeout=300)
    folder = tempfile.mkdtemp(prefix="carecoord-s3-")
    port = _free_port()
    process = subprocess.Popen(
        [
            node,
            "node_modules/.bin/s3rver",
            "-d",
            folder,
            "-a",
            "127.0.0.1",
            "-p",
            str(port),
            "--configure-bucket",
            BUCKET,
        ],
        cwd=S3_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"s3rver did not start: {process.stdout.read().decode()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def storage_from_environment(endpoint) -> dict:
    """STORAGES["documents"] as carecoord/settings.py builds it from these variables."""
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 50,
        "DOCUMENTS_STORAGE": "s3",
        "DOCUMENTS_S3_BUCKET": BUCKET,
        "DOCUMENTS_S3_ENDPOINT_URL": endpoint,
        "DOCUMENTS_S3_REGION": "us-east-1",
        "DOCUMENTS_S3_ACCESS_KEY": "S3RVER",
        "DOCUMENTS_S3_SECRET_KEY": "S3RVER",
        "DOCUMENTS_S3_ADDRESSING_STYLE": "path",
    }
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES['documents']))"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=django_settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "carecoord.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_documents_go_to_the_object_store_and_come_back_through_the_view(
    client, settings, coordinator, student, s3_server
):
    config = storage_from_environment(s3_server)
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert config["OPTIONS"]["default_acl"] == "private" and config["OPTIONS"]["bucket_name"] == BUCKET
    settings.STORAGES = {**settings.STORAGES, "documents": config}

    client.force_login(coordinator)
    response = client.post(
        reverse("records:document_add", args=[student.pk]),
        {"file": pdf_upload(), "title": "Verslag", "kind": "verslag", "section": "zorg"},
    )
    assert response.status_code == 302
    document = Document.objects.get()

    import boto3

    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="S3RVER",
        aws_secret_access_key="S3RVER",
        region_name="us-east-1",
    )
    keys = [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"documents/{document.storage_name}"]
    assert "verslag" not in keys[0] and "Jansen" not in keys[0]  # no names in the object store either

    download = client.get(reverse("records:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()
