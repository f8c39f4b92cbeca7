"""How django-allauth fits Sankoré: profile fields at signup, language on login, emails."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from sankore.accounts.language import interface_language_set, supported_language
from sankore.accounts.models import User


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's email templates read from ``current_site``.

    Taken from the settings rather than the ``django.contrib.sites`` row, which nobody keeps
    up to date and which would otherwise sign every email "example.com".
    """

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    return SiteIdentity(name=settings.SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(
        self,
        request: HttpRequest,
        user: AbstractBaseUser,
        form: BaseForm,
        commit: bool = True,
    ) -> AbstractBaseUser:
        """Fill in the profile fields of the signup form before the account's first save."""
        user = super().save_user(request, user, form, commit=False)
        assert isinstance(user, User)
        data = form.cleaned_data
        user.full_name = " ".join(str(data.get("full_name", "")).split())
        user.country = data.get("country", "")
        # The language the learner signed up in is the one they read.
        user.preferred_language = supported_language(translation.get_language())
        if commit:
            user.save()
        return user

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        """Switch to the learner's language before allauth writes its "logged in" message."""
        language = supported_language(getattr(user, "preferred_language", None))
        translation.activate(language)
        response = super().post_login(request, user, **kwargs)
        interface_language_set(request=request, response=response, language=language)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Sign emails with the platform's name, in the recipient's language when known."""
        context = {"current_site": site_identity(), **context}
        user = context.get("user")
        language = (
            supported_language(user.preferred_language)
            if isinstance(user, User)
            else translation.get_language()
        )
        with translation.override(language):
            super().send_mail(template_prefix, email, context)
