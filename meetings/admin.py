from django.contrib import admin

from .models import AgendaItem, Agreement, Meeting, MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "kind", "interval_weeks", "weekday", "starts_on", "ends_on"]
    list_filter = ["school", "kind"]
    filter_horizontal = ["participants"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "school", "starts_at", "status", "sequence"]
    list_filter = ["school", "kind", "status"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["series"]
    filter_horizontal = ["participants"]
    readonly_fields = ["uid", "sequence", "scheduled_at"]


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["meeting", "student", "discussed_at"]
    raw_id_fields = ["meeting", "student"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "due_on", "done_at", "school"]
    list_filter = ["school"]
    raw_id_fields = ["meeting", "item", "student"]
