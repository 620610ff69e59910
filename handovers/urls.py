from django.urls import path

from . import views

app_name = "handovers"

urlpatterns = [
    path("", views.handover_list, name="list"),
    path("leerling/<int:pk>/nieuw/", views.handover_start, name="start"),
    path("leerling/<int:pk>/zorgsamenvatting/", views.care_summary, name="care_summary"),
    path("<int:pk>/", views.handover_detail, name="detail"),
    path("<int:pk>/aanvaarden/", views.handover_accept, name="accept"),
    path("<int:pk>/overleg/", views.handover_meeting, name="meeting"),
    path("onderdeel/<int:pk>/downloaden/", views.item_download, name="item_download"),
]
