"""Forms of the portal: each validates what a person typed and says in words what is wrong."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from exams import identity
from exams.countries import country_choices
from exams.guesses import GuessLimit
from exams.models import Candidate, ExamFamily, ExamPart, Location, Provision, User
from exams.uploads import validate_evidence


def posted_choice(request, queryset, field: str, lookup: str = "pk"):
    """What a form's list picked, or None when nothing (or nothing known) was picked: the page then says
    so instead of answering 404 or, for a value that is not a number, 500."""
    value = request.POST.get(field, "").strip()
    if not value or (lookup == "pk" and not value.isdigit()):
        return None
    return queryset.filter(**{lookup: value}).first()


def checked(check, value, **kwargs):
    """``check(value)`` from ``exams.identity``, its ``ValueError`` shown next to the field."""
    try:
        return check(value, **kwargs)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


ANY = [("", _("All"))]


class PasswordResetByLanguageForm(PasswordResetForm):
    """The password-reset e-mail in the account's language, not the language of the page it was asked on."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs) -> None:
        language = getattr(context.get("user"), "language", None) or translation.get_language()
        with translation.override(language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class LoginForm(AuthenticationForm):
    """The login form: e-mail addresses are stored in lower case, so "Name@Example.net" logs in as well
    (the brute-force lock counts the address in the same form)."""

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()


class SessionSearchForm(forms.Form):
    family = forms.ChoiceField(label=_("Exam"), required=False)
    part = forms.ChoiceField(label=_("Part"), required=False)
    location = forms.ChoiceField(label=_("Location"), required=False)
    near = forms.CharField(label=_("Near postcode or town"), required=False, max_length=60,
                           widget=forms.TextInput(attrs={"autocomplete": "postal-code"}))
    max_km = forms.TypedChoiceField(label=_("Within"), required=False, coerce=int, empty_value=None,
                                    choices=[("", _("any distance")), (10, "10 km"), (25, "25 km"), (50, "50 km"),
                                             (100, "100 km")])
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time_of_day = forms.ChoiceField(label=_("Time of day"), required=False,
                                    choices=[("", _("any time")), ("morning", _("morning")),
                                             ("afternoon", _("afternoon"))])
    show_closed = forms.BooleanField(label=_("Also show sittings closed for booking"), required=False)

    #: Searches reach this far back and ahead (a year 1 or 9999 would overflow the date arithmetic).
    EARLIEST, YEARS_AHEAD = date(2000, 1, 1), 10

    def __init__(self, data=None, *args, **kwargs) -> None:
        if data is not None and data.get("family"):
            data = data.copy()
            data["family"] = data["family"].strip().lower()  # ?family=NT2 means nt2
        super().__init__(data, *args, **kwargs)
        self.fields["family"].choices = ANY + [(f.code, f.name) for f in ExamFamily.objects.all()]
        parts = (ExamPart.objects.filter(active=True).exclude(mode=ExamPart.Mode.ORAL)
                 .exclude(mode=ExamPart.Mode.PORTFOLIO).select_related("programme"))
        self.fields["part"].choices = ANY + [(p.code, p.full_name) for p in parts]
        self.fields["location"].choices = ANY + [(loc.code, loc.name) for loc in _locations_with_sessions()]

    def clean_near(self) -> str:
        from exams.geo import locate

        near = self.cleaned_data["near"].strip()
        if near and locate(near) is None:
            raise forms.ValidationError(_("We do not know this postcode or town. Try a Dutch postcode such as "
                                          "3511 AB, or a town name."))
        return near

    def clean_date_from(self):
        return self._within_reach(self.cleaned_data.get("date_from"))

    def clean_date_to(self):
        return self._within_reach(self.cleaned_data.get("date_to"))

    def _within_reach(self, day: date | None) -> date | None:
        latest = timezone.localdate() + timedelta(days=365 * self.YEARS_AHEAD)
        if day is not None and not self.EARLIEST <= day <= latest:
            raise forms.ValidationError(_("Choose a date between %(first)s and %(last)s.")
                                        % {"first": formats.date_format(self.EARLIEST, "SHORT_DATE_FORMAT"),
                                           "last": formats.date_format(latest, "SHORT_DATE_FORMAT")})
        return day

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise forms.ValidationError(_("The end date lies before the start date."))
        return data


def _locations_with_sessions():
    return Location.objects.filter(active=True, rooms__sessions__status="open").distinct().order_by("name")


class SignupForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    first_name = forms.CharField(label=_("First name(s)"), max_length=100,
                                 widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    last_name = forms.CharField(label=_("Last name"), max_length=100,
                                widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    birth_date = forms.DateField(label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date",
                                                                                       "autocomplete": "bday"}))
    language = forms.ChoiceField(label=_("Language for e-mails"), choices=[("nl", "Nederlands"), ("en", "English")])
    password1 = forms.CharField(label=_("Password"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("At least 10 characters; not only digits, not a common password."))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_birth_date(self) -> date:
        return checked(identity.birth_date_check, self.cleaned_data["birth_date"], today=timezone.localdate())

    def clean_email(self) -> str:
        # Whether the address has an account is not said here: the sign-up answers the same either way.
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            user = User(email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password1"], user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class EmailChangeForm(forms.Form):
    """A new e-mail address for a logged-in account, with the current password to show it is them."""

    email = forms.EmailField(label=_("New e-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(label=_("Your current password"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if email == self.user.email:
            raise forms.ValidationError(_("This is the address you have now."))
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        check_current_password(self.user, password)
        return password


#: Wrong current passwords a logged-in account may give (changing its password or e-mail address) before it
#: has to wait: a stolen session must not become a way to guess the password and take the account over.
WRONG_CURRENT_PASSWORDS = 5
CURRENT_PASSWORD_GUESSES = GuessLimit("wrong-current-password", WRONG_CURRENT_PASSWORDS, window=15 * 60)


def check_current_password(user: User, password: str, wrong: str | None = None) -> None:
    """The account's current password, or a ValidationError (``wrong``: its message); after
    :data:`WRONG_CURRENT_PASSWORDS` wrong ones in a quarter of an hour nothing is checked until the quarter is
    over, the right password included."""
    if CURRENT_PASSWORD_GUESSES.exhausted(user.pk):
        raise forms.ValidationError(_("Too many wrong passwords. Try again in a quarter of an hour, or log out "
                                      "and reset your password."))
    if not user.check_password(password):
        CURRENT_PASSWORD_GUESSES.missed(user.pk)
        raise forms.ValidationError(wrong or _("This is not your current password."))


class CurrentPasswordChangeForm(PasswordChangeForm):
    """Django's password change, its old password checked as the e-mail change checks it (limited tries)."""

    def clean_old_password(self) -> str:
        password = self.cleaned_data["old_password"]
        check_current_password(self.user, password, wrong=self.error_messages["password_incorrect"])
        return password


class ProfileForm(forms.ModelForm):
    national_id = forms.CharField(label=_("Citizen service number (BSN), optional"), required=False, max_length=11,
                                  help_text=_("Leave empty to keep what you gave before. It is never shown in full."),
                                  widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    country = forms.ChoiceField(label=_("Country"))

    class Meta:
        model = Candidate
        fields = ["first_name", "last_name", "birth_date", "phone", "language", "street", "postcode", "city",
                  "country"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
                   "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}
        help_texts = {"phone": _("With the country code, for example +31 6 12345678.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # names in the page's language

    def clean_birth_date(self) -> date:
        return checked(identity.birth_date_check, self.cleaned_data["birth_date"], today=timezone.localdate())

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        return checked(identity.phone_check, phone) if phone else ""

    def clean_national_id(self) -> str:
        value = self.cleaned_data["national_id"].strip()
        return checked(identity.bsn_check, value) if value else ""

    def save(self, commit: bool = True) -> Candidate:
        candidate = super().save(commit=False)
        if self.cleaned_data.get("national_id"):
            candidate.national_id = self.cleaned_data["national_id"]
        if commit:
            candidate.save()
        return candidate


class ProvisionForm(forms.ModelForm):
    class Meta:
        model = Provision
        fields = ["family", "kind", "extra_minutes", "motivation", "evidence"]
        labels = {"family": _("Exam"), "kind": _("What do you need?"), "extra_minutes": _("Extra minutes"),
                  "motivation": _("Explanation"), "evidence": _("Evidence (PDF, JPEG or PNG, at most 5 MB)")}
        help_texts = {"evidence": _("For example a statement from an independent doctor.")}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["extra_minutes"].required = False
        self.fields["family"].queryset = ExamFamily.objects.order_by("code")

    def clean_extra_minutes(self) -> int:
        return self.cleaned_data.get("extra_minutes") or 0

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if upload:
            validate_evidence(upload)
        return upload

    def clean(self) -> dict:
        data = super().clean()
        if data.get("kind") == Provision.Kind.EXTRA_TIME and not data.get("extra_minutes"):
            self.add_error("extra_minutes", _("Say how many extra minutes you need."))
        return data  # evidence an exam asks for may follow later: staff approve once it is there


class EvidenceForm(forms.Form):
    evidence = forms.FileField(label=_("Evidence (PDF, JPEG or PNG, at most 5 MB)"))

    def clean_evidence(self):
        upload = self.cleaned_data["evidence"]
        validate_evidence(upload)
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approved", _("Approve")), ("rejected", _("Reject"))],
                                 widget=forms.RadioSelect, label=_("Decision"))
    note = forms.CharField(label=_("Note to the candidate"), required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ResultRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), widget=forms.RadioSelect,
                             choices=[("inspection", _("Inspect my exam")), ("objection", _("Object to the result"))])
    reason = forms.CharField(label=_("Why?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, passed: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if passed:
            self.fields["kind"].choices = [("objection", _("Object to the result"))]
