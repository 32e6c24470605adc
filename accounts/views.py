"""Pages of accounts: sign-up, log-in, profile, the organisation page, invitations."""

from __future__ import annotations

from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from accounts import services
from accounts.choices import Language
from accounts.forms import (
    EmailAuthenticationForm,
    EmailPasswordResetForm,
    InvitationForm,
    InvitedSignupForm,
    OrganizationChoiceForm,
    OrganizationForm,
    ProfileForm,
    SignupForm,
)
from accounts.models import Membership, Organization, User
from accounts.selectors import (
    active_membership,
    broker_region,
    invitation_by_token,
    organization_members,
    organization_open_invitations,
    pending_membership,
)
from marketplace.limits import rate_limited, seconds_left, too_many_response
from marketplace.refusals import Refused, attempt, refused_form


def _login(request: HttpRequest, user: User) -> None:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")


def _page_language(request: HttpRequest) -> str:
    """The language the page is shown in: the natural default for a new account."""
    return Language.EN if (request.LANGUAGE_CODE or "").startswith("en") else Language.ZH_HANS


def _with_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response


def _get_organization_for_member(request: HttpRequest) -> tuple[Organization, Membership]:
    """The user's organisation, or 403 when they have no active membership."""
    membership = active_membership(request.user)
    if membership is None:
        raise PermissionDenied(_("You are not an active member of an organisation."))
    return membership.organization, membership


def _get_membership_for_owner(request: HttpRequest, pk: int) -> Membership:
    """A membership of the user's own organisation, which the user owns; else 404 / 403."""
    organization, own = _get_organization_for_member(request)
    if not own.is_owner:
        raise PermissionDenied(_("Only an owner of the organisation can do this."))
    return get_object_or_404(Membership, pk=pk, organization=organization)


def landing_url(user: User) -> str:
    """Where a person's work is, for the page after logging in: moderators the review queue
    (pending listings, longest waiting first), brokers their region, everyone else their
    organisation's listings."""
    if user.is_staff:
        if user.has_perm("listings.change_achievement"):
            return reverse("admin:listings_achievement_changelist") + "?status__exact=pending"
        return reverse("admin:index")
    if broker_region(user) is not None:
        return reverse("brokers:region")
    return reverse("listings:dashboard")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)

    def form_valid(self, form):
        response = super().form_valid(form)
        return _with_language_cookie(response, form.get_user().preferred_language)


@rate_limited("signup")
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("listings:dashboard")
    form = SignupForm(request.POST or None, initial={"preferred_language": _page_language(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = {
            "email": data["email"],
            "full_name": data["full_name"],
            "password": data["password1"],
            "preferred_language": data["preferred_language"],
        }
        try:
            if form.wants_new_organization:
                services.user_signup_with_organization(
                    **person, organization=form.new_organization_data()
                )
            else:
                services.user_signup_joining(**person, organization=data["join_organization"])
        except Refused as refusal:
            refused_form(form, refusal)
        else:
            # The same answer whether the address was new or had an account already.
            return _with_language_cookie(
                redirect("accounts:signup_sent"), data["preferred_language"]
            )
    return render(request, "accounts/signup.html", {"form": form})


def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html")


def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link of the confirmation email: opens the account and signs its holder in."""
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
        user = services.user_signup_confirm(user=user, token=token)
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist, Refused):
        return render(request, "accounts/signup_confirm_invalid.html", status=404)
    _login(request, user)
    membership = active_membership(user) or pending_membership(user)
    if membership is not None and membership.is_owner:
        messages.success(
            request,
            _(
                "Welcome to Keqiao! A moderator will verify your organisation; "
                "meanwhile you can prepare listings."
            ),
        )
    elif membership is not None:
        messages.info(
            request,
            _("Your request to join %(org)s was sent to its owners.")
            % {"org": membership.organization.name},
        )
    return _with_language_cookie(redirect("listings:dashboard"), user.preferred_language)


def _welcome(request: HttpRequest, form: OrganizationChoiceForm) -> None:
    if form.wants_new_organization:
        messages.success(
            request,
            _(
                "Welcome to Keqiao! A moderator will verify your organisation; "
                "meanwhile you can prepare listings."
            ),
        )
    else:
        messages.info(
            request,
            _("Your request to join %(org)s was sent to its owners.")
            % {"org": form.cleaned_data["join_organization"].name},
        )


@login_required
@require_POST
def organization_join_or_register(request: HttpRequest) -> HttpResponse:
    """For a signed-in user without an organisation: register one or ask to join one."""
    form = OrganizationChoiceForm(request.POST)
    if form.is_valid():
        try:
            if form.wants_new_organization:
                services.organization_register(
                    user=request.user, organization=form.new_organization_data()
                )
            else:
                services.membership_request(
                    user=request.user, organization=form.cleaned_data["join_organization"]
                )
        except Refused as refusal:
            refused_form(form, refusal)
        else:
            _welcome(request, form)
            return redirect("accounts:organization")
    return render(
        request,
        "accounts/organization_none.html",
        {"pending": pending_membership(request.user), "form": form},
        status=400,
    )


@rate_limited("signup")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_by_token(token)
    if invitation is None or not invitation.is_open:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.user.is_authenticated:
        messages.warning(
            request, _("You are signed in already; log out to accept this invitation.")
        )
        return redirect("listings:dashboard")
    form = InvitedSignupForm(
        request.POST or None,
        email=invitation.email,
        initial={"preferred_language": _page_language(request)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_signup_invited(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except Refused as refusal:
            refused_form(form, refusal)
        else:
            _login(request, user)
            messages.success(
                request, _("Welcome to %(org)s on Keqiao!") % {"org": invitation.organization.name}
            )
            return _with_language_cookie(redirect("listings:dashboard"), user.preferred_language)
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"full_name": user.full_name, "preferred_language": user.preferred_language},
    )
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return _with_language_cookie(redirect("accounts:profile"), user.preferred_language)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "pending": pending_membership(user)},
    )


@login_required
def organization_detail(request: HttpRequest) -> HttpResponse:
    """The user's organisation: profile, members, join requests and invitations."""
    membership = active_membership(request.user)
    if membership is None:
        return organization_none(request)
    organization = membership.organization
    form = OrganizationForm(instance=organization)
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "members": organization_members(organization),
            "invitations": organization_open_invitations(organization),
            "invitation_form": InvitationForm(),
            "organization_form": form,
            "is_owner": membership.is_owner,
        },
    )


def organization_none(request: HttpRequest) -> HttpResponse:
    """The page of a signed-in user who acts for no organisation (yet)."""
    pending = pending_membership(request.user)
    return render(
        request,
        "accounts/organization_none.html",
        {"pending": pending, "form": None if pending else OrganizationChoiceForm()},
    )


@login_required
@require_POST
def organization_edit(request: HttpRequest) -> HttpResponse:
    organization, membership = _get_organization_for_member(request)
    if not membership.is_owner:
        raise PermissionDenied(_("Only an owner of the organisation can do this."))
    form = OrganizationForm(request.POST, instance=organization)
    if form.is_valid():
        try:
            services.organization_update(organization=organization, data=form.cleaned_data)
        except Refused as refusal:
            refused_form(form, refusal)
        else:
            messages.success(request, _("The organisation's profile was saved."))
            return redirect("accounts:organization")
    organization.refresh_from_db()
    return render(
        request,
        "accounts/organization_detail.html",
        {
            "organization": organization,
            "members": organization_members(organization),
            "invitations": organization_open_invitations(organization),
            "invitation_form": InvitationForm(),
            "organization_form": form,
            "is_owner": True,
        },
        status=400,
    )


@login_required
@require_POST
@rate_limited("invitation")
def invitation_create(request: HttpRequest) -> HttpResponse:
    organization, _membership = _get_organization_for_member(request)
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organization=organization,
                email=form.cleaned_data["email"],
                invited_by=request.user,
            )
        except Refused as refusal:
            if refusal.status == Refused.FORBIDDEN:
                raise PermissionDenied(refusal.message) from None
            if refusal.status == HTTPStatus.TOO_MANY_REQUESTS:
                return too_many_response(request, seconds=seconds_left(86400), message=refusal)
            for error in refusal.messages():
                messages.error(request, error)
        else:
            # The same sentence whether or not the address has an account (see the service).
            messages.success(
                request,
                _("An invitation was emailed to %(email)s.")
                % {"email": form.cleaned_data["email"]},
            )
    else:
        for error in form.errors.get("email", []):
            messages.error(request, error)
    return redirect("accounts:organization")


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    organization, _membership = _get_organization_for_member(request)
    invitation = get_object_or_404(organization.invitations, pk=pk, accepted_at__isnull=True)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except Refused as refusal:
        raise PermissionDenied(refusal.message) from None
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("accounts:organization")


@login_required
@require_POST
def membership_approve(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_owner(request, pk)
    attempt(
        request,
        services.membership_approve,
        _("%(name)s is now a member.") % {"name": membership.user},
        membership=membership,
        actor=request.user,
    )
    return redirect("accounts:organization")


@login_required
@require_POST
def membership_decline(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _get_membership_for_owner(request, pk)
    attempt(
        request,
        services.membership_decline,
        _("The request was declined."),
        membership=membership,
        actor=request.user,
    )
    return redirect("accounts:organization")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the site's language; a signed-in user's preference follows the switch."""
    language = request.POST.get("language", "")
    if language not in Language.values:
        # Unknown language: change nothing, go back where the user was.
        next_url = request.POST.get("next", "/")
        if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
            next_url = "/"
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated and request.user.preferred_language != language:
        services.user_update_profile(
            user=request.user, full_name=request.user.full_name, preferred_language=language
        )
    return set_language(request)


password_reset = rate_limited("password_reset")(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        form_class=EmailPasswordResetForm,
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"
)
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    success_url=reverse_lazy("accounts:password_reset_complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        messages.success(self.request, _("Your password was changed."))
        return super().form_valid(form)


password_change = PasswordChangeView.as_view()
logout = auth_views.LogoutView.as_view()
