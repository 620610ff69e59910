from django.contrib import admin

from .models import Meeting, MeetingSeries

# Pupil data (pupils, guardians, consent, concerns, referrals, placements, visits, meeting
# items, absence, the timeline and the read log) is deliberately NOT in the Django admin: the
# admin bypasses the access rules and the read log. It is read and changed in the app, by the
# roles that may (README, "Who may see what"). The admin keeps configuration only.
# Meetings are view-only here: planning, moving and cancelling go through the services,
# which send the invitations and updates (a change here would not reach the calendars).


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "kind", "interval_weeks", "weekday", "starts_on", "ends_on"]
    list_filter = ["school", "kind"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "school", "starts_at", "status", "sequence"]
    list_filter = ["school", "kind", "status"]
    date_hierarchy = "starts_at"
