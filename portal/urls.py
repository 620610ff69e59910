from django.urls import path

from . import opp_views, views

app_name = "portal"

# Ids only in URLs; the token of an invitation is the one secret, and only its hash is stored.
urlpatterns = [
    path("", views.home, name="home"),
    path("inloggen/", views.signin, name="signin"),
    path("inloggen/code/", views.code, name="code"),
    path("inloggen-met-een-app/", views.app, name="app"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    path("kind/<int:pk>/", views.child, name="child"),
    path("kind/<int:pk>/toestemming/", views.consent_give, name="consent_give"),
    path("kind/<int:pk>/toestemming/<int:consent_pk>/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("kind/<int:pk>/overleg/<int:item_pk>/", views.item_view, name="item_view"),
    path("kind/<int:pk>/plan/<int:plan_pk>/", views.plan, name="plan"),
    path("kind/<int:pk>/opp/<int:version_pk>/", opp_views.opp_version, name="opp_version"),
    path("kind/<int:pk>/opp/<int:version_pk>/instemmen/", opp_views.opp_agree, name="opp_agree"),
    path("kind/<int:pk>/documenten/<int:document_pk>/", views.document_download, name="document_download"),
    path("kind/<int:pk>/wie-las-het-dossier/", views.access_log, name="access_log"),
    # The school's side.
    path("beheer/leerling/<int:pk>/", views.manage, name="manage"),
    path("beheer/toegang/<int:pk>/intrekken/", views.revoke, name="revoke"),
    path("beheer/leerling/<int:pk>/delen/<slug:kind>/<int:item_pk>/", views.share, name="share"),
]
