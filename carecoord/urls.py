from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from carecoord import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Signing in, the second factor and the school's account: django-allauth. Its own
    # e-mail address management is not used (the address is the account, set by the
    # beheerder) and its password reset is ours (the Dutch pages below, also used by the
    # "welkom terug" e-mail).
    path("account/email/", views.not_found),
    path("account/password/reset/", login_not_required(RedirectView.as_view(pattern_name="password_reset"))),
    path("account/", include("allauth.urls")),
    path("account/tweestapsverificatie/", account_views.two_factor_setup, name="two_factor_setup"),
    # Old address (bookmarks) and the admin's own login: both go through the one sign-in
    # with its second factor and lockout.
    path("login/", login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True))),
    path("admin/login/", login_not_required(RedirectView.as_view(pattern_name="account_login", query_string=True))),
    path("wachtwoord-vergeten/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "wachtwoord-vergeten/verstuurd/",
        account_views.auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-instellen/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-instellen/klaar/",
        account_views.auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("uitnodiging/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
    path("taal/", account_views.set_language, name="set_language"),
    path("", include("accounts.urls")),
    path("leerlingen/", include("students.urls")),
    # The zorgroute and the trajectories share /zorg/ (paths kept from before the split).
    path("zorg/", include("concerns.urls")),
    path("zorg/", include("referrals.urls")),
    path("zorg/", include("cico.urls")),
    path("overleg/", include("meetings.urls")),
    path("verzuim/", include("absence.urls")),
    path("dossier/", include("records.urls")),
    path("overdracht/", include("handovers.urls")),
    path("opp/", include("plans.urls")),
    path("privacy/", include("privacy.urls")),
    path("uitkomsten/", include("outcomes.urls")),
    path("berichten/", include("notifications.urls")),
    path("ouders/", include("portal.urls")),
    path("", include("todo.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "carecoord.views.error_403"
handler404 = "carecoord.views.error_404"
handler500 = "carecoord.views.error_500"
