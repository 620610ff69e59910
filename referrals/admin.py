from django.contrib import admin

from .models import Facility, LessonHour

# Pupil data (pupils, guardians, consent, concerns, referrals, placements, visits, meeting
# items, absence, the timeline and the read log) is deliberately NOT in the Django admin: the
# admin bypasses the access rules and the read log. It is read and changed in the app, by the
# roles that may (README, "Who may see what"). The admin keeps configuration only.


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "kind", "capacity", "is_active"]
    list_filter = ["school", "kind"]
    filter_horizontal = ["coaches"]


@admin.register(LessonHour)
class LessonHourAdmin(admin.ModelAdmin):
    list_display = ["school", "number", "starts_at", "ends_at"]
    list_filter = ["school"]
