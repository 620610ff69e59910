from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cijfers.xlsx", views.dashboard_export, name="dashboard_export"),
    path("schooljaar/", views.school_year_funnel, name="funnel"),
    path("plaatsing/<int:pk>/", views.placement_outcome, name="placement_outcome"),
]
