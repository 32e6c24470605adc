"""Forms of accounts: they validate input; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts import credit_code
from accounts.choices import Language, OrganizationKind, Region
from accounts.models import Organization, User
from marketplace.notifications.services import email_send_secret
from marketplace.outbox.services import event_record


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Email address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )


class _PasswordPairMixin(forms.Form):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def _check_passwords(self, user_hint: User) -> None:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
            return
        if p1:
            try:
                password_validation.validate_password(p1, user_hint)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)


class OrganizationChoiceForm(forms.Form):
    """Register a new organisation, or ask to join one that is on Keqiao already."""

    CREATE, JOIN = "create", "join"

    organization_choice = forms.ChoiceField(
        label=_("Your organisation"),
        choices=[
            (CREATE, _("Register a new organisation")),
            (JOIN, _("Join an organisation already on Keqiao")),
        ],
        widget=forms.RadioSelect,
        initial=CREATE,
    )
    organization_kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=[("", "---------"), *OrganizationKind.choices],
        required=False,
    )
    organization_name = forms.CharField(
        label=_("Organisation name"), max_length=200, required=False
    )
    organization_name_en = forms.CharField(
        label=_("English name (optional)"), max_length=200, required=False
    )
    organization_region = forms.ChoiceField(
        label=_("Region"), choices=[("", "---------"), *Region.choices], required=False
    )
    organization_website = forms.URLField(
        label=_("Website (optional)"), required=False, assume_scheme="https"
    )
    join_organization = forms.ModelChoiceField(
        label=_("Organisation to join"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Its owners will be asked to approve you."),
    )

    def clean(self) -> dict:
        data = super().clean()
        if data.get("organization_choice") == self.CREATE:
            for name in ("organization_kind", "organization_name", "organization_region"):
                if not data.get(name):
                    self.add_error(name, _("This field is required to register an organisation."))
        elif data.get("organization_choice") == self.JOIN and not data.get("join_organization"):
            self.add_error("join_organization", _("Choose the organisation you want to join."))
        return data

    @property
    def wants_new_organization(self) -> bool:
        return self.cleaned_data["organization_choice"] == self.CREATE

    def new_organization_data(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["organization_kind"],
            "name": data["organization_name"],
            "name_en": data["organization_name_en"],
            "region": data["organization_region"],
            "website": data["organization_website"],
        }


class SignupForm(_PasswordPairMixin, OrganizationChoiceForm):
    """Sign up and either create an organisation or ask to join an existing one."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.ZH_HANS
    )

    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "preferred_language",
        "organization_choice",
        "organization_kind",
        "organization_name",
        "organization_name_en",
        "organization_region",
        "organization_website",
        "join_organization",
    ]

    def clean_email(self) -> str:
        # Whether the address has an account is not said here: the service answers the
        # same either way and emails the account's holder (no enumeration of accounts).
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        self._check_passwords(
            User(email=data.get("email", ""), full_name=data.get("full_name", ""))
        )
        return data


class InvitedSignupForm(_PasswordPairMixin):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=Language.choices, initial=Language.ZH_HANS
    )
    field_order = ["full_name", "password1", "password2", "preferred_language"]

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict:
        data = super().clean()
        self._check_passwords(User(email=self.email, full_name=data.get("full_name", "")))
        return data


class ProfileForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Colleague's email address"))


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    # Longer than the code: spaces and dashes typed between its groups are taken out.
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        required=False,
        max_length=40,
        help_text=Organization._meta.get_field("credit_code").help_text,
    )

    class Meta:
        model = Organization
        fields = ["name_en", "region", "website", "description", "credit_code"]

    def clean_credit_code(self) -> str:
        return credit_code.normalised(self.cleaned_data.get("credit_code", ""))


# The outbox event that sends a password-reset link (accounts/handlers.py).
PASSWORD_RESET_REQUESTED = "accounts.password_reset_requested"


class EmailPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending through our pipeline in the user's own language.

    The request only records an outbox event, whether or not the address has an account:
    looking the account up, making the token and sending happen after the response (a
    worker, or a thread without a broker), so the answer takes the same time either way
    and does not tell who has an account.
    """

    def save(self, *args: Any, **kwargs: Any) -> None:
        event_record(kind=PASSWORD_RESET_REQUESTED, payload={"email": self.cleaned_data["email"]})

    def send_now(self) -> None:
        """Send the link if the address has an account (the outbox handler calls this)."""
        super().save(domain_override="keqiao")

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        # The reset link is a secret: sent, never stored (see email_send_secret).
        email_send_secret(
            to=to_email,
            language=context["user"].preferred_language,
            template="password_reset",
            context=context,
        )
