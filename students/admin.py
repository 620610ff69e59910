from django.contrib import admin

from .models import Consent, FileAccess, Guardian, PartnerLink, SchoolClass, Student, TimelineEvent


class GuardianInline(admin.TabularInline):
    model = Guardian
    extra = 0


@admin.register(Student)
class StudentAdmin(admin.ModelAdmin):
    list_display = ["student_number", "last_name", "first_name", "school", "school_class", "left_on"]
    list_filter = ["school"]
    search_fields = ["student_number", "last_name"]
    inlines = [GuardianInline]
    raw_id_fields = ["school_class"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "year", "level"]
    list_filter = ["school", "level"]
    filter_horizontal = ["mentors"]


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["student", "organisation", "purpose", "given_on", "ends_on", "withdrawn_at"]
    raw_id_fields = ["student", "given_by_guardian"]

    def has_delete_permission(self, request, obj=None):
        return False  # consent history is kept; withdraw instead


@admin.register(PartnerLink)
class PartnerLinkAdmin(admin.ModelAdmin):
    list_display = ["student", "organisation", "user", "linked_on", "ended_on"]
    raw_id_fields = ["student"]


@admin.register(TimelineEvent)
class TimelineEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "student", "kind", "section"]
    raw_id_fields = ["student", "actor"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FileAccess)
class FileAccessAdmin(admin.ModelAdmin):
    """Read-only: the read log is append-only, also for technical administrators."""

    list_display = ["accessed_at", "user", "student", "section", "request_id"]
    list_filter = ["section", "school"]
    readonly_fields = ["user", "student", "school", "section", "accessed_at", "request_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
