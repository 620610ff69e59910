from django.contrib import admin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to_email", "state", "sent_at", "attempts", "resends", "gave_up_at"]
    list_filter = ["state", "kind", "school"]
    search_fields = ["to_email", "key", "message_id"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
