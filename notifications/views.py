from django.core.paginator import Paginator
from django.shortcuts import render

from carecoord import access

from .models import DeliveryState, Notification

STATUS_FILTERS = {
    "sent": {"state": DeliveryState.SENT},
    "pending": {"state__in": [DeliveryState.PENDING, DeliveryState.SENDING]},
    "failed": {"state": DeliveryState.FAILED},
}


@access.school_permission_required("school.view_delivery_log")
def delivery_log(request):
    """What was sent to whom and when, and what failed (functional administrator)."""
    status = request.GET.get("status", "")
    notifications = (
        Notification.objects.visible_to(request.user)
        .filter(school=request.school, **STATUS_FILTERS.get(status, {}))
        .select_related("recipient")
        .defer("body", "attachment_content")
    )
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/delivery_log.html", {"page": page, "status": status})
