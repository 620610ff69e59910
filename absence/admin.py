from django.contrib import admin

from .models import AbsenceImport, AbsencePolicy, AbsenceRecord, AbsenceSignal, EscalationStep


@admin.register(AbsenceRecord)
class AbsenceRecordAdmin(admin.ModelAdmin):
    list_display = ["student", "date", "lesson", "kind", "minutes", "source"]
    list_filter = ["school", "kind", "source"]
    raw_id_fields = ["student", "recorded_by"]
    date_hierarchy = "date"


@admin.register(AbsenceSignal)
class AbsenceSignalAdmin(admin.ModelAdmin):
    list_display = ["student", "school", "level", "level_since", "unauthorised_minutes", "crossed_on"]
    list_filter = ["school", "level"]
    raw_id_fields = ["student"]

    def has_add_permission(self, request):
        return False  # written by the computation only

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    list_display = ["student", "step", "on", "who"]
    list_filter = ["school", "step"]
    raw_id_fields = ["student", "recorded_by"]


admin.site.register(AbsencePolicy)


@admin.register(AbsenceImport)
class AbsenceImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "school", "uploaded_by", "uploaded_at", "status"]
    exclude = ["content"]
