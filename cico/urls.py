from django.urls import path

from . import views

app_name = "cico"

urlpatterns = [
    path("kaarten/", views.card_list, name="card_list"),
    path("plaatsingen/<int:pk>/kaart/", views.card_edit, name="card_edit"),
    path("kaarten/<int:pk>/", views.card_detail, name="card_detail"),
    path("kaarten/<int:pk>/voorstel/", views.card_propose, name="card_propose"),
    path("kaarten/<int:pk>/<str:day>/", views.score, name="score"),
    path("kaarten/<int:pk>/<str:day>/invoeren/", views.day_entry, name="day_entry"),
    path("kaarten/<int:pk>/<str:day>/afdrukken/", views.card_print, name="card_print"),
    path("kaarten/<int:pk>/<str:day>/inchecken/", views.day_check_in, name="day_check_in"),
    path("kaarten/<int:pk>/<str:day>/uitchecken/", views.day_check_out, name="day_check_out"),
    path("voorzieningen/<int:pk>/kaarten/", views.facility_day, name="facility_day"),
]
