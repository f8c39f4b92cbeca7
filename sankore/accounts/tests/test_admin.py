"""The back office: user and role pages load, and role writes go through the services."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from sankore.accounts.admin_site import SankoreAdminSite
from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import RoleAssignmentFactory, UserFactory
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db: None) -> User:
    return User.objects.create_superuser(email="root@example.org", password="x-root-42-long")


@pytest.fixture
def root_client(client: Client, root: User) -> Client:
    client.force_login(root)
    return client


# The role inline's management form, posted with every user page.
NO_ROLES = {
    "role_assignments-TOTAL_FORMS": "0",
    "role_assignments-INITIAL_FORMS": "0",
    "role_assignments-MIN_NUM_FORMS": "0",
    "role_assignments-MAX_NUM_FORMS": "1000",
}


def _user_change_data(user: User, **extra: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "certificate_name": user.certificate_name,
        "country": str(user.country),
        "preferred_language": user.preferred_language,
        "institution": "",
        "is_active": "on",
        **NO_ROLES,
        **extra,
    }


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/accounts/user/?q=awa",
        "/admin/accounts/user/?country=SN",
        "/admin/accounts/user/?preferred_language=fr&is_staff__exact=0",
        "/admin/accounts/user/?role_assignments__role=campus_staff",
        "/admin/accounts/user/add/",
        "/admin/accounts/roleassignment/",
        "/admin/accounts/roleassignment/?role__exact=institution_staff",
        "/admin/accounts/roleassignment/?institution__kind=campus",
        "/admin/accounts/roleassignment/add/",
    ],
)
def test_admin_pages_load_for_a_superuser(root_client: Client, learner: User, path: str) -> None:
    campus = InstitutionFactory(kind=InstitutionKind.CAMPUS)
    RoleAssignmentFactory(user=learner, role=Role.CAMPUS_STAFF, institution=campus)

    response = root_client.get(path)

    assert response.status_code == 200


def test_user_change_and_password_pages_load(root_client: Client, learner: User) -> None:
    RoleAssignmentFactory(user=learner, role=Role.EXPERT_REVIEWER)

    change = root_client.get(f"/admin/accounts/user/{learner.pk}/change/")
    password = root_client.get(f"/admin/accounts/user/{learner.pk}/password/")

    assert change.status_code == 200
    assert "username" not in change.context["adminform"].form.fields
    assert password.status_code == 200


def test_user_search_finds_by_name_and_email(root_client: Client, learner: User) -> None:
    UserFactory(email="autre@example.org", full_name="Jean Kaboré")

    by_name = root_client.get("/admin/accounts/user/?q=Diop")
    by_email = root_client.get("/admin/accounts/user/?q=awa.diop")

    assert [u.email for u in by_name.context["cl"].result_list] == [learner.email]
    assert [u.email for u in by_email.context["cl"].result_list] == [learner.email]


def test_add_user_with_email_and_password(root_client: Client) -> None:
    response = root_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Nouvelle@Example.org",
            "usable_password": "true",
            "password1": "mot-de-passe-admin-42",
            "password2": "mot-de-passe-admin-42",
            **NO_ROLES,
        },
    )

    assert response.status_code == 302
    created = User.objects.get(email="nouvelle@example.org")
    assert created.check_password("mot-de-passe-admin-42")


def test_admin_password_change_form_sets_the_password(root_client: Client, learner: User) -> None:
    response = root_client.post(
        f"/admin/accounts/user/{learner.pk}/password/",
        {"password1": "change-par-admin-42", "password2": "change-par-admin-42"},
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password("change-par-admin-42")


def test_role_added_in_its_own_list_goes_through_the_service(
    root_client: Client, root: User, learner: User
) -> None:
    university = InstitutionFactory()

    response = root_client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": learner.pk, "role": Role.INSTITUTION_STAFF, "institution": university.pk},
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get()
    assert (assignment.user, assignment.role, assignment.institution) == (
        learner,
        Role.INSTITUTION_STAFF,
        university,
    )
    assert assignment.granted_by == root  # set by role_assign, the form has no such field


def test_role_with_a_wrong_scope_is_refused_in_the_admin(
    root_client: Client, learner: User
) -> None:
    university = InstitutionFactory(kind=InstitutionKind.UNIVERSITY)

    response = root_client.post(
        "/admin/accounts/roleassignment/add/",
        {"user": learner.pk, "role": Role.CAMPUS_STAFF, "institution": university.pk},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "institution": ["Le personnel de campus numérique se rattache à un campus numérique."]
    }
    assert RoleAssignment.objects.count() == 0


def test_role_deleted_in_the_admin_is_revoked(root_client: Client, learner: User) -> None:
    assignment = RoleAssignmentFactory(user=learner, role=Role.EXPERT_REVIEWER)

    response = root_client.post(
        f"/admin/accounts/roleassignment/{assignment.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert RoleAssignment.objects.count() == 0


def test_role_inline_on_the_user_page_writes_through_the_service(
    root_client: Client, root: User, learner: User
) -> None:
    campus = InstitutionFactory(kind=InstitutionKind.CAMPUS)

    response = root_client.post(
        f"/admin/accounts/user/{learner.pk}/change/",
        _user_change_data(
            learner,
            **{
                "role_assignments-TOTAL_FORMS": "1",
                "role_assignments-0-role": Role.CAMPUS_STAFF,
                "role_assignments-0-institution": str(campus.pk),
            },
        ),
    )

    assert response.status_code == 302
    assignment = RoleAssignment.objects.get()
    assert (assignment.user, assignment.role, assignment.institution) == (
        learner,
        Role.CAMPUS_STAFF,
        campus,
    )
    assert assignment.granted_by == root


def test_role_inline_refuses_a_scoped_role_without_institution(
    root_client: Client, learner: User
) -> None:
    response = root_client.post(
        f"/admin/accounts/user/{learner.pk}/change/",
        _user_change_data(
            learner,
            full_name="Nom à ne pas enregistrer",
            **{
                "role_assignments-TOTAL_FORMS": "1",
                "role_assignments-0-role": Role.INSTITUTION_STAFF,
                "role_assignments-0-institution": "",
            },
        ),
    )

    assert response.status_code == 200
    assert RoleAssignment.objects.count() == 0
    learner.refresh_from_db()
    assert learner.full_name == "Awa Diop"


def test_programme_staff_can_use_the_user_admin_but_not_grant_superpowers(
    client: Client, learner: User
) -> None:
    staff = UserFactory(is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
    client.force_login(staff)

    listing = client.get("/admin/accounts/user/")
    change = client.get(f"/admin/accounts/user/{learner.pk}/change/")

    assert listing.status_code == 200
    assert change.status_code == 200
    assert "is_superuser" not in change.context["adminform"].form.fields


def test_programme_staff_cannot_edit_a_superuser(client: Client, root: User) -> None:
    staff = UserFactory(is_staff=True)
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
    client.force_login(staff)

    response = client.post(
        f"/admin/accounts/user/{root.pk}/change/", _user_change_data(root, full_name="Piraté")
    )

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.full_name == ""


def test_staff_flag_without_the_programme_role_sees_no_account_page(client: Client) -> None:
    client.force_login(UserFactory(is_staff=True))

    response = client.get("/admin/accounts/user/")

    # The admin site itself asks for the programme-staff role: back to its login page.
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/admin/accounts/user/"


def test_sankore_admin_site_asks_the_role_not_the_staff_flag(db: None) -> None:
    site = SankoreAdminSite(name="test-admin")
    staff = UserFactory(is_staff=False)
    RoleAssignmentFactory(user=staff, role=Role.PROGRAMME_STAFF)
    request = RequestFactory().get("/admin/")

    request.user = staff
    assert site.has_permission(request) is True
    request.user = UserFactory(is_staff=True)
    assert site.has_permission(request) is False
    request.user = AnonymousUser()
    assert site.has_permission(request) is False
