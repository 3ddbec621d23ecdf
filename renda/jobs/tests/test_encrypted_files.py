"""Issue 13 §6: job files (roster exports hold every ID number and phone) are stored SM4-encrypted
with owner-only permissions, and decrypted only when streamed to an authorised user."""

import os
import stat

from django.core.files.base import ContentFile
from django.test import override_settings

from renda.jobs.models import Job
from renda.jobs.services import job_file_bytes, job_succeed

SECRET = b"520521198003151224 13812345678"


def _job(owner):
    job = Job.objects.create(owner=owner, kind="test", title="测试", params={})
    job_succeed(
        job=job, message="完成", result={"filename": "x.xlsx"}, file=ContentFile(SECRET, name="x.xlsx")
    )
    return job


def test_stored_encrypted_and_streamed_in_clear_to_the_owner(users, client):
    job = _job(users["county_staff"])
    with job.result_file.open("rb") as handle:
        stored = handle.read()
    assert SECRET not in stored and stored.startswith(b"RENDA-SM4GCM1")
    assert job_file_bytes(job) == SECRET
    client.force_login(users["county_staff"])
    response = client.get(f"/jobs/{job.pk}/download/")
    assert b"".join(response.streaming_content) == SECRET


def test_owner_only_permissions_on_disk(users, tmp_path):
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(tmp_path)):
        job = _job(users["county_staff"])
        path = job.result_file.path
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
        with open(path, "rb") as handle:
            assert SECRET not in handle.read()


def test_large_files_are_encrypted_and_decrypted_chunk_by_chunk(users):
    """A batch zip of many PDFs is stored and handed out without ever being read whole."""
    import io

    import pytest

    from renda.core.crypto import decrypt_bytes, decrypt_file, encrypt_file
    from renda.jobs.services import job_file_open

    class Source(io.BytesIO):
        largest = 0

        def read(self, size=-1):
            Source.largest = max(Source.largest, size if size >= 0 else 1 << 62)
            return super().read(size)

    data = os.urandom(3 * 1024 * 1024 + 5)
    source = Source(data)
    source.name = "big.zip"
    job = Job.objects.create(owner=users["county_staff"], kind="test", title="测试", params={})
    job_succeed(job=job, result={"filename": "big.zip"}, file=source)
    assert Source.largest <= 1024 * 1024  # one chunk at a time, never read(-1)
    with job_file_open(job) as clear:
        assert clear.read() == data
    with job.result_file.open("rb") as handle:
        stored = handle.read()
    assert decrypt_bytes(stored) == data  # the same format as encrypt_bytes
    tampered = bytearray(stored)
    tampered[100] ^= 1
    with pytest.raises(ValueError, match="integrity"):
        decrypt_file(io.BytesIO(bytes(tampered)), io.BytesIO())
    target = io.BytesIO()
    encrypt_file(io.BytesIO(b""), target)
    assert decrypt_bytes(target.getvalue()) == b""
