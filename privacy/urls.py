from django.urls import path

from . import views

app_name = "privacy"

# No names in any URL: ids only.
urlpatterns = [
    path("bewaartermijnen/", views.retention, name="retention"),
    path("bewaartermijnen/proefrun/", views.retention_dry_run, name="retention_dry_run"),
    path("leerling/<int:pk>/", views.student_privacy, name="student"),
    path("leerling/<int:pk>/inzage/", views.inzage_request, name="inzage_request"),
    path("leerling/<int:pk>/verzoek/nieuw/", views.rights_request_add, name="rights_request_add"),
    path("inzage/<int:pk>/", views.inzage, name="inzage"),
    path("inzage/<int:pk>/voortgang/", views.inzage_progress, name="inzage_progress"),
    path("inzage/<int:pk>/downloaden/", views.inzage_download, name="inzage_download"),
    path("verzoek/<int:pk>/afhandelen/", views.rights_request_handle, name="rights_request_handle"),
]
