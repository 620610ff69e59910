from django.urls import path

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
    path("beheer/school/", views.school_settings, name="school_settings"),
    path("beheer/vrije-dagen/<int:pk>/verwijderen/", views.holiday_remove, name="holiday_remove"),
]
