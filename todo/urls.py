from django.urls import path

from . import views

app_name = "todo"

urlpatterns = [
    path("taken/", views.task_list, name="list"),
    path("taken/aantal/", views.menu_count, name="menu_count"),
    path("taken/<slug:source>/<int:pk>/gedaan/", views.task_done, name="done"),
    path("beheer/geplande-taken/", views.schedule, name="schedule"),
    path("meldingen/", views.mail_settings, name="mail_settings"),
    path("vandaag/<slug:slug>/", views.today_block, name="today_block"),
]
