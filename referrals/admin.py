from django.contrib import admin

from .models import (
    Concern,
    ConcernAction,
    ConcernCategory,
    Facility,
    LessonHour,
    MeldcodeStep,
    Placement,
    Referral,
    ReferralTransition,
    Visit,
)

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


# --- Aanmeldingen en voorzieningen ---------------------------------------------------------
# Technical administration only: state changes go through the services (the app's pages),
# so referrals, placements and visits are read-only here.


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "kind", "capacity", "is_active"]
    list_filter = ["school", "kind"]
    filter_horizontal = ["coaches"]


@admin.register(LessonHour)
class LessonHourAdmin(admin.ModelAdmin):
    list_display = ["school", "number", "starts_at", "ends_at"]
    list_filter = ["school"]


class ReferralTransitionInline(admin.TabularInline):
    model = ReferralTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "actor", "at", "note"]


@admin.register(Referral)
class ReferralAdmin(_ReadOnly):
    list_display = ["student", "facility", "state", "created_at", "decided_at"]
    list_filter = ["school", "state"]
    raw_id_fields = ["student"]
    inlines = [ReferralTransitionInline]


@admin.register(Placement)
class PlacementAdmin(_ReadOnly):
    list_display = ["student", "facility", "kind", "start_on", "ended_on", "outcome"]
    list_filter = ["school", "kind", "outcome"]
    raw_id_fields = ["student", "referral"]


@admin.register(Visit)
class VisitAdmin(_ReadOnly):
    list_display = ["student", "facility", "checked_in_at", "checked_out_at", "planned", "needs_correction"]
    list_filter = ["facility", "planned", "needs_correction"]
    raw_id_fields = ["student", "placement"]
