from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cijfers.xlsx", views.dashboard_export, name="dashboard_export"),
    path("regio/", views.region_view, name="region"),
    path("regio/cijfers.xlsx", views.region_export, name="region_export"),
    path("regio/vergelijk/", views.region_compare, name="region_compare"),
    path("schooljaar/", views.school_year_funnel, name="funnel"),
    path("plaatsing/<int:pk>/", views.placement_outcome, name="placement_outcome"),
]
