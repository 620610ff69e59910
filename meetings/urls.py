from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("nieuw/", views.meeting_create, name="create"),
    path("afspraken/", views.agreement_list, name="agreement_list"),
    path("afspraken/<int:pk>/afgerond/", views.agreement_done, name="agreement_done"),
    path("reeksen/", views.series_list, name="series_list"),
    path("reeksen/nieuw/", views.series_create, name="series_create"),
    path("reeksen/<int:pk>/", views.series_detail, name="series_detail"),
    path("reeksen/<int:pk>/stoppen/", views.series_stop, name="series_stop"),
    path("agenda-abonnement/", views.feed_settings, name="feed_settings"),
    path("agenda/<str:token>.ics", views.feed, name="feed"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/verslag/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/wijzigen/", views.meeting_edit, name="edit"),
    path("<int:pk>/annuleren/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/deelnemers/", views.meeting_participants, name="participants"),
    path("<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/agenda/zoeken/", views.agenda_search, name="agenda_search"),
    path("<int:pk>/agenda/<int:item_pk>/", views.item_update, name="item_update"),
    path("<int:pk>/agenda/<int:item_pk>/verwijderen/", views.item_remove, name="item_remove"),
    path("<int:pk>/afspraken/", views.agreement_add, name="agreement_add"),
    path("<int:pk>/agenda/<int:item_pk>/afspraken/", views.agreement_add, name="item_agreement_add"),
]
