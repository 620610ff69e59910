from django.contrib import admin

from .models import SchoolClass

# Pupil data (pupils, guardians, consent, concerns, referrals, placements, visits, meeting
# items, absence, the timeline and the read log) is deliberately NOT in the Django admin: the
# admin bypasses the access rules and the read log. It is read and changed in the app, by the
# roles that may (README, "Who may see what"). The admin keeps configuration only.


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "year", "level"]
    list_filter = ["school", "level"]
    filter_horizontal = ["mentors"]
