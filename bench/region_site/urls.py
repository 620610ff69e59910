"""carecoord.urls plus the yardsticks of bench/region.py.

- `/bench/bare/`: the same Django stack (every middleware), no login, one indexed query (a
  user by primary key), a tiny response — the issue's "bare Django view";
- `/bench/signed-in/`: the same view for a signed-in user (session, user, school, roles,
  second factor): what every page pays before its own work;
- `/bench/layout/`: the application's layout (base.html: menu, school switcher, language
  form) around an empty page: what every full page pays before its content.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from accounts.models import User
from carecoord.urls import urlpatterns as app_urlpatterns


@login_not_required
def bare(request):
    found = User.objects.filter(pk=1).values_list("pk", flat=True).first()
    return HttpResponse(f"ok {found}", content_type="text/plain")


def signed_in(request):
    found = User.objects.filter(pk=1).values_list("pk", flat=True).first()
    return HttpResponse(f"ok {found} {request.school}", content_type="text/plain")


def layout(request):
    return TemplateResponse(request, "base.html", {})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/signed-in/", signed_in),
    path("bench/layout/", layout),
    *app_urlpatterns,
]
