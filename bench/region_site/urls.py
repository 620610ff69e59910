"""carecoord.urls plus `/bench/bare/`: the yardstick of bench/region.py. The same Django stack
(every middleware), no login, one indexed query (a user by primary key), a tiny response."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from accounts.models import User
from carecoord.urls import urlpatterns as app_urlpatterns


@login_not_required
def bare(request):
    found = User.objects.filter(pk=1).values_list("pk", flat=True).first()
    return HttpResponse(f"ok {found}", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *app_urlpatterns]
