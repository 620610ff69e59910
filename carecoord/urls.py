from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from carecoord import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.auth_views.LogoutView.as_view(), name="logout"),
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
    path("taal/", account_views.set_language, name="set_language"),
    path("", include("accounts.urls")),
    path("leerlingen/", include("students.urls")),
    # The zorgroute and the trajectories share /zorg/ (paths kept from before the split).
    path("zorg/", include("concerns.urls")),
    path("zorg/", include("referrals.urls")),
    path("overleg/", include("meetings.urls")),
    path("verzuim/", include("absence.urls")),
    path("berichten/", include("notifications.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "carecoord.views.error_403"
handler404 = "carecoord.views.error_404"
handler500 = "carecoord.views.error_500"
