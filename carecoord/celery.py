"""The Celery app. Configuration comes from Django settings (CELERY_* names).

Periodic tasks are declared next to the task they run, in each app's `tasks.py`
(`app.on_after_finalize` + `add_periodic_task`), so an app brings its own schedule.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")

app = Celery("carecoord")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
