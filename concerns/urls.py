"""URLs of the zorgroute, mounted at /zorg/ (the paths people bookmarked stay as they were)."""

from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("meldingen/", views.concern_inbox, name="concern_inbox"),
    path("meldingen/nieuw/", views.concern_create, name="concern_create"),
    path("meldingen/nieuw/richtlijn/", views.concern_guidance, name="concern_guidance"),
    path("meldingen/mijn/", views.concern_mine, name="concern_mine"),
    path("meldingen/cijfers/", views.concern_figures, name="concern_figures"),
    path("meldingen/<int:pk>/", views.concern_detail, name="concern_detail"),
    path("meldingen/<int:pk>/behandelaar/", views.concern_assign, name="concern_assign"),
    path("meldingen/<int:pk>/categorie/", views.concern_classify, name="concern_classify"),
    path("meldingen/<int:pk>/acties/", views.concern_action_add, name="concern_action_add"),
    path("meldingen/<int:pk>/acties/<int:action_pk>/gedaan/", views.concern_action_done, name="concern_action_done"),
    path("meldingen/<int:pk>/afronden/", views.concern_close, name="concern_close"),
    path("meldingen/<int:pk>/meldcode/", views.meldcode_step_add, name="meldcode_step_add"),
    path("zorgroute/", views.category_list, name="category_list"),
    path("zorgroute/nieuw/", views.category_edit, name="category_create"),
    path("zorgroute/<int:pk>/", views.category_edit, name="category_edit"),
]
