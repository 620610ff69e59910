from django.contrib import admin

from .models import DeferredJob


@admin.register(DeferredJob)
class DeferredJobAdmin(admin.ModelAdmin):
    list_display = ["key", "requested_at", "finished_at", "running_since", "attempts", "last_error"]
    search_fields = ["key"]
    readonly_fields = [f.name for f in DeferredJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
