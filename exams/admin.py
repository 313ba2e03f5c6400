"""The admin site, set up for planners: search, filters and list columns that answer their questions."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from . import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "role", "language", "email_verified", "is_active", "is_staff", "date_joined"]
    list_filter = ["role", "language", "is_active", "is_staff", "email_verified"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["role", "language", "email_verified"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]})]

    # What makes an account powerful. Only a superuser grants it: a planner with the right to change users
    # (to help a candidate with an e-mail address, say) must not be able to make anyone, themselves
    # included, a planner, an administrator or a superuser.
    PRIVILEGES = ("role", "is_staff", "is_superuser", "groups", "user_permissions")
    ORDINARY_ROLES = (models.User.Role.CANDIDATE, models.User.Role.EXAMINER)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser and obj is not None:
            readonly += [name for name in self.PRIVILEGES if name not in readonly]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and obj is None and "role" in form.base_fields:
            # A new account made by a non-superuser is a candidate's or an examiner's.
            form.base_fields["role"].choices = [(value, label) for value, label in models.User.Role.choices
                                                if value in self.ORDINARY_ROLES]
        return form

    def has_change_permission(self, request, obj=None):
        """Only a superuser changes a staff account (its password included): anyone else could take it
        over."""
        if obj is not None and not request.user.is_superuser and self._privileged(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and self._privileged(obj):
            return False
        return super().has_delete_permission(request, obj)

    def _privileged(self, user: models.User) -> bool:
        return user.is_staff or user.is_superuser or user.role not in self.ORDINARY_ROLES


class ProgrammeInline(admin.TabularInline):
    model = models.Programme
    extra = 0
    fields = ["code", "name_nl", "name_en", "level", "regime", "fee_cap"]


@admin.register(models.ExamFamily)
class ExamFamilyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en", "max_attempts_per_part_per_year", "one_part_per_day",
                    "refund_until_days", "results_release_days"]
    inlines = [ProgrammeInline]


class ExamPartInline(admin.TabularInline):
    model = models.ExamPart
    extra = 0
    fields = ["code", "name_nl", "mode", "duration_minutes", "fee", "pass_mark", "active"]
    show_change_link = True


@admin.register(models.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "family", "level", "regime", "fee_cap"]
    list_filter = ["family"]
    search_fields = ["code", "name_nl", "name_en"]
    inlines = [ExamPartInline]


@admin.register(models.Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "name_en"]
    search_fields = ["code", "name_nl", "name_en"]


class FixedExamDateInline(admin.TabularInline):
    model = models.FixedExamDate
    extra = 0


@admin.register(models.ExamPart)
class ExamPartAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "programme", "mode", "duration_minutes", "preparation_minutes", "fee",
                    "score_scale", "pass_mark", "examiners_required", "active"]
    list_filter = ["programme__family", "programme", "mode", "active", "is_pe"]
    # Searched by the part pickers elsewhere (autocomplete): by code, name or programme.
    search_fields = ["code", "name_nl", "name_en", "programme__code", "programme__name_nl", "programme__name_en"]
    autocomplete_fields = ["requires"]
    inlines = [FixedExamDateInline]


@admin.register(models.WftQualification)
class WftQualificationAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "rank"]
    autocomplete_fields = ["modules"]


@admin.register(models.PEPeriod)
class PEPeriodAdmin(admin.ModelAdmin):
    list_display = ["starts_on", "ends_on"]


class RoomInline(admin.TabularInline):
    model = models.Room
    extra = 0
    fields = ["name", "seats", "computer_seats", "wheelchair_accessible", "separate_room_ok", "oral_room",
              "preparation_room", "active"]


class OpeningHoursInline(admin.TabularInline):
    model = models.OpeningHours
    extra = 0


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "city", "country", "timezone", "active"]
    list_filter = ["families", "country", "timezone", "active"]
    search_fields = ["code", "name", "city", "postcode"]
    filter_horizontal = ["families"]
    inlines = [RoomInline, OpeningHoursInline]


@admin.register(models.Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "location", "seats", "computer_seats", "wheelchair_accessible", "separate_room_ok",
                    "oral_room", "preparation_room", "active"]
    list_filter = ["location", "wheelchair_accessible", "oral_room", "preparation_room", "active"]
    search_fields = ["name", "location__name"]


@admin.register(models.Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ["location", "room", "starts_at", "ends_at", "reason"]
    list_filter = ["location"]
    date_hierarchy = "starts_at"


@admin.register(models.ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "starts_at", "location_name", "room", "part_codes", "capacity", "seats_booked", "status"]
    list_filter = ["status", "parts__programme__family", "room__location"]
    search_fields = ["room__location__name", "room__name", "parts__code"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["parts"]
    readonly_fields = ["seats_booked", "version"]
    list_select_related = ["room__location"]
    actions = ["cancel_sittings"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parts")

    @admin.action(description=_("Cancel the selected sittings (candidates choose a new date at no cost)"))
    def cancel_sittings(self, request, queryset) -> None:
        from .services.bookings import session_cancel_by_agency

        affected = sum(session_cancel_by_agency(session=s, reason="cancelled by the agency", actor=request.user)
                       for s in queryset)
        self.message_user(request, _("%(n)d candidates were told and can choose a new date.") % {"n": affected})

    @admin.display(description=_("location"), ordering="room__location__name")
    def location_name(self, session: models.ExamSession) -> str:
        return session.room.location.name

    @admin.display(description=_("parts"))
    def part_codes(self, session: models.ExamSession) -> str:
        return ", ".join(sorted(p.code for p in session.parts.all()))


class ProvisionInline(admin.TabularInline):
    model = models.Provision
    extra = 0
    fields = ["family", "kind", "extra_minutes", "status", "reviewed_by", "reviewed_at"]
    readonly_fields = ["reviewed_by", "reviewed_at"]


class DeadlineInline(admin.TabularInline):
    model = models.CandidateDeadline
    extra = 0


@admin.register(models.Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "birth_date", "email", "city", "language", "national_id_masked"]
    list_filter = ["language", "country"]
    search_fields = ["last_name", "first_name", "email", "postcode"]
    # The national id number is never shown in full: it is write-only here.
    exclude = ["national_id"]
    readonly_fields = ["national_id_masked"]
    inlines = [ProvisionInline, DeadlineInline]

    @admin.display(description=_("national id"))
    def national_id_masked(self, candidate: models.Candidate) -> str:
        return candidate.national_id_masked


@admin.register(models.Provision)
class ProvisionAdmin(admin.ModelAdmin):
    list_display = ["candidate", "family", "kind", "extra_minutes", "status", "created_at", "reviewed_by"]
    list_filter = ["status", "kind", "family"]
    search_fields = ["candidate__last_name", "candidate__email"]
    list_select_related = ["candidate", "family", "reviewed_by"]


class RegistrationInline(admin.TabularInline):
    model = models.Registration
    extra = 0
    fields = ["session", "part", "status", "fee"]
    readonly_fields = fields
    can_delete = False


@admin.register(models.Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["id", "candidate", "status", "amount", "expires_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["candidate__last_name", "candidate__email"]
    readonly_fields = ["status", "amount", "expires_at"]
    inlines = [RegistrationInline]
    list_select_related = ["candidate"]


class RegistrationEventInline(admin.TabularInline):
    model = models.RegistrationEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "reason", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["id", "candidate", "part", "session", "status", "fee", "updated_at"]
    list_filter = ["status", "part__programme__family"]
    search_fields = ["candidate__last_name", "candidate__email", "part__code"]
    # Status changes go through the lifecycle service, never by editing the field.
    readonly_fields = ["booking", "candidate", "session", "part", "status", "fee", "replaced_by"]
    inlines = [RegistrationEventInline]
    list_select_related = ["candidate", "part", "session__room__location"]


class QualificationInline(admin.TabularInline):
    model = models.Qualification
    extra = 0
    autocomplete_fields = ["part", "subject"]


class AvailabilityInline(admin.TabularInline):
    model = models.Availability
    extra = 0


class ConflictInline(admin.TabularInline):
    model = models.ConflictOfInterest
    extra = 0
    raw_id_fields = ["candidate"]


@admin.register(models.Examiner)
class ExaminerAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "home_location", "max_sessions_per_day",
                    "max_sessions_per_week", "active"]
    list_filter = ["active", "qualifications__role", "qualifications__family", "home_location"]
    search_fields = ["last_name", "first_name", "email", "school"]
    filter_horizontal = ["willing_locations"]
    inlines = [QualificationInline, AvailabilityInline, ConflictInline]
    actions = ["lock_availability", "unlock_availability"]

    @admin.action(description=_("Lock availability (planning deadline)"))
    def lock_availability(self, request, queryset) -> None:
        queryset.update(availability_locked=True)

    @admin.action(description=_("Unlock availability"))
    def unlock_availability(self, request, queryset) -> None:
        queryset.update(availability_locked=False)


@admin.register(models.StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ["session", "examiner", "role", "status", "pinned"]
    list_filter = ["role", "status", "pinned", "session__room__location"]
    search_fields = ["examiner__last_name", "session__room__location__name"]
    raw_id_fields = ["session", "examiner"]
    list_select_related = ["session__room__location", "examiner"]


admin.site.site_header = _("Exam logistics – administration")
admin.site.site_title = _("Exam logistics")


@admin.register(models.PlacementRequest)
class PlacementRequestAdmin(admin.ModelAdmin):
    list_display = ["candidate", "part", "source", "status", "preferred_location", "earliest", "latest"]
    list_filter = ["status", "source", "part__programme__family", "preferred_location"]
    search_fields = ["candidate__last_name", "candidate__email", "part__code"]
    raw_id_fields = ["candidate", "registration"]
    autocomplete_fields = ["part"]
    list_select_related = ["candidate", "part", "preferred_location"]


@admin.register(models.Disruption)
class DisruptionAdmin(admin.ModelAdmin):
    list_display = ["reported_at", "kind", "examiner", "location", "room", "starts_on", "ends_on", "reason",
                    "reported_by"]
    list_filter = ["kind", "location"]
    search_fields = ["examiner__last_name", "location__name", "room__name", "reason"]
    raw_id_fields = ["examiner"]
    list_select_related = ["examiner", "location", "room", "reported_by"]
    date_hierarchy = "reported_at"
