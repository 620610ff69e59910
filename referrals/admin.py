from django.contrib import admin

from .models import Concern, ConcernAction, ConcernCategory, MeldcodeStep

# --- Zorgroute ---------------------------------------------------------------------------


@admin.register(ConcernCategory)
class ConcernCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "handler_kind", "follows_meldcode", "is_active", "position"]
    list_filter = ["school", "follows_meldcode", "is_active"]


class ConcernActionInline(admin.TabularInline):
    model = ConcernAction
    extra = 0
    raw_id_fields = ["owner", "created_by", "done_by"]


@admin.register(Concern)
class ConcernAdmin(admin.ModelAdmin):
    # Technical support only: no pupil names or care text in the list.
    list_display = ["pk", "school", "category", "status", "urgency", "created_at", "closed_at"]
    list_filter = ["school", "status", "is_meldcode"]
    raw_id_fields = ["student", "raised_by", "handler", "closed_by"]
    inlines = [ConcernActionInline]


@admin.register(MeldcodeStep)
class MeldcodeStepAdmin(admin.ModelAdmin):
    list_display = ["concern", "step", "occurred_on", "recorded_by"]
    raw_id_fields = ["concern", "recorded_by"]
