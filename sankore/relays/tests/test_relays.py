"""Campus relays: the staff curate a selection that the public page, the poster and the
embeddable list show in their order; only that campus's staff (and programme staff) change
it; the embeddable list sets no cookie and may be framed anywhere."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from sankore.accounts.models import Role, RoleAssignment, User
from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.tests.factories import CourseFactory, CourseRunFactory
from sankore.institutions.models import InstitutionKind
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.relays import services
from sankore.relays.models import RelayCourse
from sankore.relays.services import RelayError

pytestmark = pytest.mark.django_db


def _campus(city: str = "Cotonou") -> object:
    return InstitutionFactory(
        name=f"Campus numérique francophone de {city}", kind=InstitutionKind.CAMPUS, city=city
    )


def _staff(campus: object) -> User:
    user = UserFactory()
    RoleAssignment.objects.create(user=user, role=Role.CAMPUS_STAFF, institution=campus)
    return user


def _logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _titles(relay: object) -> list[str]:
    return list(
        RelayCourse.objects.filter(relay=relay)
        .order_by("position")
        .values_list("course__title", flat=True)
    )


def test_staff_compose_the_selection_in_their_order() -> None:
    campus = _campus()
    staff = _staff(campus)
    relay = services.relay_for(campus=campus)
    first, second, third = (CourseFactory(title=t) for t in ("Agronomie", "Botanique", "Chimie"))
    for course in (first, second, third):
        services.relay_course_add(relay=relay, course=course, by=staff)
    services.relay_course_move(relay=relay, course=third, by=staff, step=-1)
    assert _titles(relay) == ["Agronomie", "Chimie", "Botanique"]
    services.relay_course_move(relay=relay, course=first, by=staff, step=-1)  # already first
    services.relay_course_remove(relay=relay, course=third, by=staff)
    services.relay_course_add(relay=relay, course=third, by=staff, note="  Pour les L1.  ")
    assert _titles(relay) == ["Agronomie", "Botanique", "Chimie"]
    assert RelayCourse.objects.get(course=third).note == "Pour les L1."


def test_refusals_change_nothing() -> None:
    campus, other = _campus(), _campus("Lomé")
    relay = services.relay_for(campus=campus)
    staff = _staff(campus)
    course = CourseFactory()
    services.relay_course_add(relay=relay, course=course, by=staff)
    cases = {
        "not_allowed": lambda: services.relay_course_add(
            relay=relay, course=CourseFactory(), by=_staff(other)
        ),
        "already_selected": lambda: services.relay_course_add(relay=relay, course=course, by=staff),
        "not_published": lambda: services.relay_course_add(
            relay=relay, course=CourseFactory(is_published=False), by=staff
        ),
        "not_selected": lambda: services.relay_course_remove(
            relay=relay, course=CourseFactory(), by=staff
        ),
    }
    for code, attempt in cases.items():
        with pytest.raises(RelayError) as refused:
            attempt()
        assert refused.value.code == code
    assert list(RelayCourse.objects.values_list("course_id", flat=True)) == [course.pk]
    with pytest.raises(RelayError) as not_a_campus:
        services.relay_for(campus=InstitutionFactory(kind=InstitutionKind.UNIVERSITY))
    assert not_a_campus.value.code == "not_a_campus"


def test_the_public_page_shows_the_selection_contacts_and_a_poster(
    client: Client, django_assert_max_num_queries: object
) -> None:
    campus = _campus()
    staff = _staff(campus)
    relay = services.relay_for(campus=campus)
    services.relay_update(
        relay=relay, by=staff, introduction="Ouvert à tous les étudiants.",
        opening_hours="Lundi–vendredi, 8 h – 18 h", address="Campus d'Abomey-Calavi",
        contact_email="cnf@cotonou.example", contact_phone="+229 21 00 00 00",
    )  # fmt: skip
    courses = [CourseRunFactory(course__title=f"Cours {n}").course for n in range(5)]
    for course in courses:
        services.relay_course_add(relay=relay, course=course, by=staff)
    services.relay_course_remove(relay=relay, course=courses[2], by=staff)
    services.relay_course_add(relay=relay, course=courses[2], by=staff, note="Tutorat le jeudi.")
    url = reverse("relays:page", args=[campus.slug])
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        body = client.get(url).content.decode()
    assert [f"Cours {n}" in body for n in range(5)] == [True] * 5
    assert body.index("Cours 0") < body.index("Cours 4") < body.index("Cours 2")
    assert body.count("Tutorat le jeudi.") == 1
    assert body.index("Cours 2") < body.index("Tutorat le jeudi.")
    assert "Lundi–vendredi, 8 h – 18 h" in body
    assert 'href="mailto:cnf@cotonou.example"' in body
    assert "Composer la page du campus" not in body

    poster = client.get(reverse("relays:poster", args=[campus.slug]))
    assert poster["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(poster.content)).pages)
    assert "Cours 0" in text
    assert "Cours 4" in text
    assert "cnf@cotonou.example" in text


def test_the_embeddable_list_sets_no_cookie_and_may_be_framed(client: Client) -> None:
    campus = _campus()
    relay = services.relay_for(campus=campus)
    services.relay_course_add(
        relay=relay, course=CourseFactory(title="Hydrologie"), by=_staff(campus),
        note="Pour les L2 de géographie.",
    )  # fmt: skip
    response = client.get(reverse("relays:embed", args=[campus.slug]))
    assert response.status_code == 200
    assert "Hydrologie" in response.content.decode()
    assert "Pour les L2 de géographie." in response.content.decode()
    assert response.cookies == {}
    assert "X-Frame-Options" not in response
    assert response["Content-Security-Policy"] == "frame-ancestors *"


def test_the_manage_pages_are_for_that_campus_staff_only() -> None:
    campus, other = _campus(), _campus("Lomé")
    staff = _staff(campus)
    course = CourseFactory(code="CLOM-0777", slug="eau-potable")
    manage = reverse("relays:manage", args=[campus.slug])
    add = reverse("relays:course_add", args=[campus.slug])
    assert _logged_in(_staff(other)).get(manage).status_code == 403
    assert _logged_in(UserFactory()).post(add, {"course": "CLOM-0777"}).status_code == 403
    assert not RelayCourse.objects.exists()

    client = _logged_in(staff)
    assert client.get(manage).status_code == 200
    client.post(add, {"course": "https://mooc.example.org/cours/eau-potable/?session=3"})
    assert list(RelayCourse.objects.values_list("course_id", flat=True)) == [course.pk]
    response = client.post(add, {"course": "CLOM-9999"}, follow=True)
    assert "Aucun cours du catalogue ne répond" in response.content.decode()
    remove = reverse("relays:course_change", args=[campus.slug, course.pk, "retrait"])
    assert _logged_in(_staff(other)).post(remove).status_code == 403
    assert RelayCourse.objects.count() == 1
    client.post(remove)
    assert not RelayCourse.objects.exists()
    assert (
        client.post(
            reverse("relays:course_change", args=[campus.slug, course.pk, "autre"])
        ).status_code
        == 404
    )
    assert client.get(remove).status_code == 405


def test_the_manage_page_gives_the_snippet_that_frames_the_selection(settings: object) -> None:
    settings.SITE_URL = "https://mooc.example.org"  # type: ignore[attr-defined]
    campus = _campus()
    body = _logged_in(_staff(campus)).get(reverse("relays:manage", args=[campus.slug]))
    expected = f'&lt;iframe src="https://mooc.example.org/campus/{campus.slug}/integration/"'
    assert expected in body.content.decode()
