from django.contrib import admin

from .models import ConcernCategory

# Concerns and Meldcode steps are pupil data and deliberately NOT in the Django admin: the
# admin bypasses the access rules and the read log (README, "Who may see what"). The
# admin keeps configuration only: the zorgroute's categories.


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "handler_kind", "follows_meldcode", "is_active", "position"]
    list_filter = ["school", "follows_meldcode", "is_active"]
