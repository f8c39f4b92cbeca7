from __future__ import annotations

import factory
from allauth.account.models import EmailAddress

from sankore.accounts.models import Role, RoleAssignment, User

PASSWORD = "motdepasse-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    """A learner who may log in: password ``PASSWORD``, address verified (``email_verified``)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"apprenant{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    country = "SN"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def persist_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def email_verified(self, create: bool, extracted: object, **kwargs: object) -> None:
        # allauth refuses logins until the address is verified; most tests want a usable
        # account, ``UserFactory(email_verified=False)`` gives a fresh sign-up.
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.PROGRAMME_STAFF
