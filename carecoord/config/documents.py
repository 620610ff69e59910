"""Where the documents of the pupil file (records app) are stored: Django's storage API under
the name "documents". A private folder outside static/ (never served by the web server; every
download goes through a view that checks access and writes the read log), or an S3-compatible
object store (django-storages)."""

from pathlib import Path


def documents_storage(env, *, kind: str, root: Path) -> dict:
    """STORAGES["documents"] for `kind` ("filesystem" or "s3"), the S3 values from `env`."""
    if kind == "s3":
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("DOCUMENTS_S3_BUCKET"),
                "endpoint_url": env("DOCUMENTS_S3_ENDPOINT_URL", default=None),
                "region_name": env("DOCUMENTS_S3_REGION", default=None),
                "access_key": env("DOCUMENTS_S3_ACCESS_KEY", default=None),
                "secret_key": env("DOCUMENTS_S3_SECRET_KEY", default=None),
                "location": env("DOCUMENTS_S3_PREFIX", default="documents"),
                "addressing_style": env("DOCUMENTS_S3_ADDRESSING_STYLE", default=None),
                # Private objects; we never hand out their URLs (downloads stream through a view).
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                "object_parameters": env.json("DOCUMENTS_S3_OBJECT_PARAMETERS", default={}),
            },
        }
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": None, "file_permissions_mode": 0o600},
    }
