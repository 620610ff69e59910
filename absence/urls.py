from django.urls import path

from imports import views as import_views

from . import views

app_name = "absence"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", import_views.upload, {"kind": "absence"}, name="import_upload"),
    path("import/<int:pk>/", import_views.batch, {"kind": "absence"}, name="import_confirm"),
    path("drempels/", views.policy_edit, name="policy"),
    path("leerling/<int:pk>/", views.student_absence, name="student"),
    path("leerling/<int:pk>/registreren/", views.record_add, name="record_add"),
    path("leerling/<int:pk>/registratie/<int:record_pk>/verwijderen/", views.record_remove, name="record_remove"),
    path("leerling/<int:pk>/stap/", views.step_add, name="step_add"),
]
