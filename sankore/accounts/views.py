"""The learner's own account page; sign-up, login and passwords are allauth's views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from sankore.accounts import selectors, services
from sankore.accounts.forms import ProfileForm
from sankore.accounts.language import interface_language_set
from sankore.accounts.models import User
from sankore.core.errors import ServiceError


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            services.user_profile_update(user=user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error.message))
        else:
            response = redirect("accounts:profile")
            interface_language_set(
                request=request, response=response, language=user.preferred_language
            )
            messages.success(request, gettext("Votre profil est enregistré."))
            return response
    context = {"form": form, "roles": selectors.user_role_summaries(user=user)}
    return render(request, "accounts/profile.html", context)
