from django.urls import path

from . import referral_views, views

app_name = "plans"

urlpatterns = [
    path("leerling/<int:pk>/", views.plan, name="plan"),
    path("leerling/<int:pk>/starten/", views.plan_start, name="plan_start"),
    path("leerling/<int:pk>/nieuwe-periode/", views.plan_new_draft, name="plan_new_draft"),
    path("leerling/<int:pk>/aanvraag/", views.request_add, name="request_add"),
    path("versie/<int:pk>/", views.version, name="version"),
    path("versie/<int:pk>/bewerken/", views.version_edit, name="version_edit"),
    path("versie/<int:pk>/gesprek/", views.version_discussion, name="version_discussion"),
    path("versie/<int:pk>/instemming/", views.version_consent, name="version_consent"),
    path("versie/<int:pk>/vaststellen/", views.version_adopt, name="version_adopt"),
    path("versie/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("taken/", views.tasks, name="tasks"),
    path("aanvragen/", views.request_list, name="request_list"),
    path("aanvragen/<int:pk>/", views.request_detail, name="request"),
    path("aanvragen/<int:pk>/documenten/<int:document_id>/", views.request_document, name="request_document"),
    path("aanvragen/<int:pk>/bericht/", views.request_message, name="request_message"),
    path("aanvragen/<int:pk>/gesprek/", views.request_meeting, name="request_meeting"),
    path("aanvragen/<int:pk>/besluit/", views.request_decide, name="request_decide"),
    path("aanvragen/<int:pk>/intrekken/", views.request_withdraw, name="request_withdraw"),
    path("leerling/<int:pk>/doorverwijzen/", referral_views.referral_add, name="referral_add"),
    path("doorverwijzingen/", referral_views.referral_list, name="referral_list"),
    path("doorverwijzingen/<int:pk>/", referral_views.referral_detail, name="referral"),
    path("doorverwijzingen/<int:pk>/accepteren/", referral_views.referral_accept, name="referral_accept"),
    path("doorverwijzingen/<int:pk>/afwijzen/", referral_views.referral_decline, name="referral_decline"),
    path("doorverwijzingen/<int:pk>/afronden/", referral_views.referral_end, name="referral_end"),
]
