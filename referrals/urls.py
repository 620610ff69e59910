"""URLs of the referrals app, mounted at /zorg/ beside the zorgroute's."""

from django.urls import path

from .views import board, coaching, facilities, funding, placements, referrals

app_name = "referrals"

urlpatterns = [
    path("aanmeldingen/", referrals.referral_list, name="referral_list"),
    path("aanmeldingen/nieuw/", referrals.referral_create, name="referral_create"),
    path("aanmeldingen/wachtlijst/", referrals.referral_waiting_list, name="referral_waiting_list"),
    path("aanmeldingen/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("aanmeldingen/<int:pk>/intake-plannen/", referrals.referral_plan_intake, name="referral_plan_intake"),
    path("aanmeldingen/<int:pk>/intake/", referrals.referral_record_intake, name="referral_record_intake"),
    path("aanmeldingen/<int:pk>/plaatsen/", referrals.referral_place, name="referral_place"),
    path("aanmeldingen/<int:pk>/besluit/<slug:decision>/", referrals.referral_decide, name="referral_decide"),
    path("voorzieningen/", facilities.facility_list, name="facility_list"),
    path("voorzieningen/nieuw/", facilities.facility_edit, name="facility_add"),
    path("voorzieningen/lesrooster/", facilities.facility_lesson_hours, name="facility_lesson_hours"),
    path(
        "voorzieningen/groepsuren.csv", facilities.facility_group_export, {"fmt": "csv"}, name="facility_group_export"
    ),
    path(
        "voorzieningen/groepsuren.xlsx",
        facilities.facility_group_export,
        {"fmt": "xlsx"},
        name="facility_group_export_xlsx",
    ),
    path("voorzieningen/<int:pk>/wijzigen/", facilities.facility_edit, name="facility_edit"),
    path("voorzieningen/<int:pk>/cijfers/", facilities.facility_figures, name="facility_figures"),
    path("voorzieningen/<int:pk>/groep/", facilities.facility_group, name="facility_group"),
    path("voorzieningen/<int:pk>/financiering/", funding.facility_funding, name="facility_funding"),
    path(
        "voorzieningen/<int:pk>/financiering.csv",
        funding.facility_funding_export,
        {"fmt": "csv"},
        name="facility_funding_export",
    ),
    path(
        "voorzieningen/<int:pk>/financiering.xlsx",
        funding.facility_funding_export,
        {"fmt": "xlsx"},
        name="facility_funding_export_xlsx",
    ),
    path("voorzieningen/<int:pk>/contact/", funding.group_contact_add, name="group_contact_add"),
    path("plaatsingen/", placements.placement_list, name="placement_list"),
    path("plaatsingen/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("plaatsingen/<int:pk>/plan/", placements.placement_plan, name="placement_plan"),
    path("plaatsingen/<int:pk>/doelen/nieuw/", placements.placement_goal_add, name="placement_goal_add"),
    path("plaatsingen/<int:pk>/evaluatie/", placements.placement_evaluate, name="placement_evaluate"),
    path("plaatsingen/<int:pk>/beeindigen/", placements.placement_end, name="placement_end"),
    path("kansencoach/voordragen/", coaching.coaching_nominate, name="coaching_nominate"),
    path("kansencoach/<int:pk>/", coaching.coaching_caseload, name="coaching_caseload"),
    path("kansencoach/voordracht/<int:pk>/", coaching.coaching_nomination, name="coaching_nomination"),
    path("kansencoach/voordracht/<int:pk>/starten/", coaching.coaching_start, name="coaching_start"),
    path("kansencoach/voordracht/<int:pk>/intrekken/", coaching.coaching_withdraw, name="coaching_withdraw"),
    path("kansencoach/begeleiding/<int:pk>/", coaching.coaching_detail, name="coaching_detail"),
    path("kansencoach/begeleiding/<int:pk>/afsluiten/", coaching.coaching_end, name="coaching_end"),
    path("bord/", board.facility_board_home, name="facility_board_home"),
    path("bord/<int:pk>/", board.facility_board, name="facility_board"),
    path("bord/<int:pk>/inchecken/", board.visit_check_in, name="visit_check_in"),
    path("bord/<int:pk>/uitchecken/", board.visit_check_out, name="visit_check_out"),
    path("bord/<int:pk>/niet-gekomen/", board.visit_no_show, name="visit_no_show"),
    path("bord/<int:pk>/binnenloper/", board.visit_walk_in, name="visit_walk_in"),
    path("bord/<int:pk>/bezoek/<int:visit_pk>/notitie/", board.visit_note, name="visit_note"),
    path("bord/<int:pk>/bezoek/<int:visit_pk>/corrigeren/", board.visit_correct, name="visit_correct"),
]
