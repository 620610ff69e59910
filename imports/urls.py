"""The URLs of an import, included by the app that owns it:

    urlpatterns = [..., *import_urls("students")]

gives <app>:import_upload, :import_confirm (preview, progress and result of one batch),
:import_columns (the column-mapping step) and :import_progress (the polled progress bar).
"""

from django.urls import path

from . import views


def import_urls(kind: str) -> list:
    extra = {"kind": kind}
    return [
        path("import/", views.upload, extra, name="import_upload"),
        path("import/<int:pk>/", views.batch, extra, name="import_confirm"),
        path("import/<int:pk>/kolommen/", views.columns, extra, name="import_columns"),
        path("import/<int:pk>/voortgang/", views.progress, extra, name="import_progress"),
    ]
