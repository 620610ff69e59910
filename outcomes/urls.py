from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cijfers.xlsx", views.dashboard_export, name="dashboard_export"),
    path("regio/", views.region_view, name="region"),
    path("regio/cijfers.xlsx", views.region_export, name="region_export"),
    path("regio/vergelijk/", views.region_compare, name="region_compare"),
    path("groepen/<int:pk>/financiering/", views.group_funding, name="group_funding"),
    path("groepen/<int:pk>/financiering.xlsx", views.group_funding_export, {"fmt": "xlsx"}, name="group_funding_xlsx"),
    path("groepen/<int:pk>/financiering.pdf", views.group_funding_export, {"fmt": "pdf"}, name="group_funding_pdf"),
    path("schooljaar/", views.school_year_funnel, name="funnel"),
    path("plaatsing/<int:pk>/", views.placement_outcome, name="placement_outcome"),
]
