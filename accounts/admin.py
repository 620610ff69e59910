from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from carecoord import access

from . import services
from .models import HolidayPeriod, Membership, Organisation, School, TwoFactorReset, User


class MembershipInline(admin.TabularInline):
    """Roles are shown, never given here: a superuser could otherwise make themselves
    zorgcoördinator and read every care file. Roles are set in the app by a school's
    functioneel beheerder (Beheer → Medewerkers), who cannot grant themselves care roles."""

    model = Membership
    extra = 0
    fields = readonly_fields = ["school", "role", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "organisation", "is_active", "last_login"]
    list_filter = ["is_active", "is_staff", "is_application_admin", "organisation"]
    search_fields = ["email", "name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Persoon"), {"fields": ["name", "organisation", "language"]}),
        (_("Rechten"), {"fields": ["is_active", "is_staff", "is_superuser", "is_application_admin"]}),
        (_("Data"), {"fields": ["last_login", "date_joined"]}),
    ]
    filter_horizontal = []
    actions = ["reset_two_factor"]

    def has_add_permission(self, request):
        # Nobody gets an account with a password someone else chose: staff are invited by
        # their school's functioneel beheerder, partner professionals by their organisation's
        # contact person, schools' first beheerder by applicatiebeheer (docs/onboarding.md).
        return False

    def user_change_password(self, request, id, form_url=""):
        # The same for a password set on someone else's account: they choose it themselves
        # (an invitation or "wachtwoord vergeten").
        from django.core.exceptions import PermissionDenied

        if str(request.user.pk) != str(id):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def get_readonly_fields(self, request, obj=None):
        # The partner organisation decides which pupils a partner may see (with consent):
        # chosen when the account is made, not changed afterwards (nor on one's own account).
        return ["organisation", "last_login", "date_joined"] if obj is not None else []

    @admin.action(description=_("Tweestapsverificatie resetten (telefoon of sleutel kwijt)"))
    def reset_two_factor(self, request, queryset):
        done, skipped = 0, 0
        for person in queryset:
            if access.can(request.user, "user.reset_two_factor", person):
                services.mfa_reset(user=person, actor=request.user)
                done += 1
            else:
                skipped += 1
        if done:
            self.message_user(request, _("Gereset: %(count)d.") % {"count": done}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _(
                    "Niet gereset: %(count)d (eigen account, of iemand met een rol op een school: "
                    "dat doet de functioneel beheerder van die school)."
                )
                % {"count": skipped},
                messages.WARNING,
            )


@admin.register(TwoFactorReset)
class TwoFactorResetAdmin(admin.ModelAdmin):
    list_display = ["user", "reset_by", "reset_at", "removed"]
    list_select_related = ["user", "reset_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "brin_code", "region", "holiday_region"]
    search_fields = ["name", "brin_code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
    filter_horizontal = ["schools"]


@admin.register(HolidayPeriod)
class HolidayPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "start", "end", "region", "school"]
    list_filter = ["region"]


# allauth's own admin pages are not used: identity providers come only from the environment
# (OIDC_PROVIDERS; an identity provider added here could sign in as anyone), second factors
# are reset by `mfa_reset` (the action above and Beheer → Medewerkers), addresses live on User.
def _unregister_allauth_admin():
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount, SocialApp, SocialToken

    for model in (EmailAddress, Authenticator, SocialApp, SocialAccount, SocialToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_allauth_admin()
