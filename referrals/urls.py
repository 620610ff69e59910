"""URLs of the referrals app, mounted at /zorg/ beside the zorgroute's."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("aanmeldingen/", views.referral_list, name="referral_list"),
    path("aanmeldingen/nieuw/", views.referral_create, name="referral_create"),
    path("aanmeldingen/wachtlijst/", views.referral_waiting_list, name="referral_waiting_list"),
    path("aanmeldingen/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("aanmeldingen/<int:pk>/intake-plannen/", views.referral_plan_intake, name="referral_plan_intake"),
    path("aanmeldingen/<int:pk>/intake/", views.referral_record_intake, name="referral_record_intake"),
    path("aanmeldingen/<int:pk>/plaatsen/", views.referral_place, name="referral_place"),
    path("aanmeldingen/<int:pk>/besluit/<slug:decision>/", views.referral_decide, name="referral_decide"),
    path("voorzieningen/", views.facility_list, name="facility_list"),
    path("voorzieningen/nieuw/", views.facility_edit, name="facility_add"),
    path("voorzieningen/lesrooster/", views.facility_lesson_hours, name="facility_lesson_hours"),
    path("voorzieningen/groepsuren.csv", views.facility_group_export, name="facility_group_export"),
    path("voorzieningen/<int:pk>/wijzigen/", views.facility_edit, name="facility_edit"),
    path("voorzieningen/<int:pk>/cijfers/", views.facility_figures, name="facility_figures"),
    path("voorzieningen/<int:pk>/groep/", views.facility_group, name="facility_group"),
    path("plaatsingen/", views.placement_list, name="placement_list"),
    path("plaatsingen/<int:pk>/", views.placement_detail, name="placement_detail"),
    path("plaatsingen/<int:pk>/plan/", views.placement_plan, name="placement_plan"),
    path("plaatsingen/<int:pk>/doelen/nieuw/", views.placement_goal_add, name="placement_goal_add"),
    path("plaatsingen/<int:pk>/evaluatie/", views.placement_evaluate, name="placement_evaluate"),
    path("plaatsingen/<int:pk>/beeindigen/", views.placement_end, name="placement_end"),
    path("bord/", views.facility_board_home, name="facility_board_home"),
    path("bord/<int:pk>/", views.facility_board, name="facility_board"),
    path("bord/<int:pk>/inchecken/", views.visit_check_in, name="visit_check_in"),
    path("bord/<int:pk>/uitchecken/", views.visit_check_out, name="visit_check_out"),
    path("bord/<int:pk>/binnenloper/", views.visit_walk_in, name="visit_walk_in"),
    path("bord/<int:pk>/bezoek/<int:visit_pk>/notitie/", views.visit_note, name="visit_note"),
    path("bord/<int:pk>/bezoek/<int:visit_pk>/corrigeren/", views.visit_correct, name="visit_correct"),
]
