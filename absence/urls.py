from django.urls import path

from imports.urls import import_urls

from . import views

app_name = "absence"

urlpatterns = [
    path("", views.overview, name="overview"),
    *import_urls("absence"),
    path("import/<int:pk>/codes/", views.import_codes, name="import_codes"),
    path("drempels/", views.policy_edit, name="policy"),
    path("termijnen/", views.mas_deadlines_edit, name="mas_deadlines"),
    path("leerling/<int:pk>/", views.student_absence, name="student"),
    path("leerling/<int:pk>/registreren/", views.record_add, name="record_add"),
    path("leerling/<int:pk>/registratie/<int:record_pk>/verwijderen/", views.record_remove, name="record_remove"),
    path("leerling/<int:pk>/stap/", views.step_add, name="step_add"),
]
