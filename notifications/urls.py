from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.delivery_log, name="delivery_log"),
]
