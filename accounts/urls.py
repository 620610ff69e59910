from django.urls import include, path

from imports.urls import import_urls

from . import views

app_name = "accounts"

urlpatterns = [
    path("school/wisselen/", views.school_switch, name="school_switch"),
    path("beheer/medewerkers/", views.staff_list, name="staff_list"),
    path("beheer/medewerkers/nieuw/", views.staff_add, name="staff_add"),
    path("beheer/medewerkers/<int:user_id>/", views.staff_edit, name="staff_edit"),
    path(
        "beheer/medewerkers/<int:user_id>/tweestapsverificatie-resetten/",
        views.staff_two_factor_reset,
        name="staff_two_factor_reset",
    ),
    path("beheer/medewerkers/<int:user_id>/uitschakelen/", views.staff_deactivate, name="staff_deactivate"),
    path("beheer/uitnodigingen/<int:pk>/opnieuw/", views.invitation_resend, name="invitation_resend"),
    path("beheer/uitnodigingen/<int:pk>/intrekken/", views.invitation_revoke, name="invitation_revoke"),
    path("beheer/medewerkers/", include(import_urls("staff"))),
    path("beheer/school/", views.school_settings, name="school_settings"),
    # Applicatiebeheer (the installation) and a partner organisation's contact person.
    path("regio/", views.region_home, name="region_home"),
    path("regio/scholen/nieuw/", views.school_add, name="region_school_add"),
    path("regio/scholen/<int:pk>/", views.region_school, name="region_school"),
    path("regio/scholen/<int:pk>/bewerken/", views.school_edit, name="region_school_edit"),
    path("regio/partners/nieuw/", views.organisation_edit, name="region_organisation_add"),
    path("regio/partners/<int:pk>/", views.organisation_edit, name="region_organisation"),
    path("regio/logboek/", views.region_log, name="region_log"),
    path("partner/professionals/", views.professionals, name="professionals"),
    path(
        "partner/professionals/<int:user_id>/uitschakelen/",
        views.professional_deactivate,
        name="professional_deactivate",
    ),
    path("beheer/vrije-dagen/<int:pk>/verwijderen/", views.holiday_remove, name="holiday_remove"),
]
