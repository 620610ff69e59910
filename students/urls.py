from django.urls import path

from imports.urls import import_urls

from . import views

app_name = "students"

urlpatterns = [
    path("", views.student_list, name="list"),
    path("export.csv", views.student_export, {"fmt": "csv"}, name="export"),
    path("export.xlsx", views.student_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("kiezen/", views.student_autocomplete, name="autocomplete"),
    path("leesregistratie/", views.school_access_log, name="school_access_log"),
    *import_urls("students"),
    path("klassen/", views.class_list, name="class_list"),
    path("klassen/nieuw/", views.class_edit, name="class_add"),
    path("klassen/<int:pk>/", views.class_edit, name="class_edit"),
    path("<int:pk>/", views.student_file, name="file"),
    path("<int:pk>/wijzigen/", views.student_edit, name="edit"),
    path("<int:pk>/uitschrijven/", views.student_leave, name="leave"),
    path("<int:pk>/ondersteuning/", views.support_status_set, name="support_status"),
    path("<int:pk>/ouders/nieuw/", views.guardian_add, name="guardian_add"),
    path("<int:pk>/ouders/<int:guardian_pk>/", views.guardian_edit, name="guardian_edit"),
    path("<int:pk>/toestemming/nieuw/", views.consent_add, name="consent_add"),
    path("<int:pk>/toestemming/<int:consent_pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/partners/nieuw/", views.partner_link_add, name="partner_link_add"),
    path("<int:pk>/partners/<int:link_pk>/beeindigen/", views.partner_link_end, name="partner_link_end"),
    path("<int:pk>/ingezien/", views.student_access_log, name="access_log"),
]
