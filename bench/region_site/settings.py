"""The application's own settings plus one URL for the bench: a bare view (bench/region.py)."""

from carecoord.settings import *  # noqa: F403

ROOT_URLCONF = "bench.region_site.urls"
