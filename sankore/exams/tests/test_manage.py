"""Staff pages: the hub, a centre's dashboard and its new sittings, a session's
registrations by country, and the incident reports of exam day."""

from __future__ import annotations

import datetime
import html
import zoneinfo
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sankore.accounts.tests.factories import UserFactory
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.exams import incidents, services
from sankore.exams.models import ExamIncident, ExamSitting, IncidentKind
from sankore.exams.services import ExamError
from sankore.exams.tests.factories import (
    DURING_REGISTRATION,
    campus_staff,
    centre,
    learner_of,
    programme_staff,
    sitting,
)

pytestmark = pytest.mark.django_db

AT_THE_DOOR = datetime.datetime(2030, 6, 12, 8, 45, tzinfo=datetime.UTC)


def _logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _sitting_today(**fields: object) -> ExamSitting:
    """A sitting that started an hour ago in Dakar: exam day is now."""
    dakar = zoneinfo.ZoneInfo("Africa/Dakar")
    start = (
        (timezone.now() - datetime.timedelta(hours=1))
        .astimezone(dakar)
        .replace(tzinfo=None, second=0, microsecond=0)
    )
    return sitting(
        at=centre(),
        local_start=start,
        local_registration_opens=start - datetime.timedelta(days=30),
        local_registration_closes=start - datetime.timedelta(days=1),
        local_cancellation_deadline=start - datetime.timedelta(days=2),
        duration_minutes=180,
        **fields,
    )


def _register(exam: ExamSitting, **learner_fields: object) -> object:
    return services.registration_create(
        learner=learner_of(exam.course_run, **learner_fields),
        sitting=exam,
        now=exam.registration_opens_at + datetime.timedelta(hours=1),
    )


# --- Incidents ------------------------------------------------------------------------------


def test_centre_staff_report_an_incident_about_a_candidate_and_about_the_sitting() -> None:
    dakar = centre()
    exam = sitting(at=dakar)
    registration = services.registration_create(
        learner=learner_of(exam.course_run), sitting=exam, now=DURING_REGISTRATION
    )
    staff = campus_staff(dakar)

    about_one = incidents.incident_report(
        sitting=exam, by=staff, kind=IncidentKind.LATE, description="  Arrivé à 9 h 20.  ",
        registration=registration, now=AT_THE_DOOR,
    )  # fmt: skip
    about_all = incidents.incident_report(
        sitting=exam, by=staff, kind=IncidentKind.TECHNICAL, description="Coupure de courant.",
        now=AT_THE_DOOR,
    )  # fmt: skip

    assert about_one.description == "Arrivé à 9 h 20."
    assert about_one.registration == registration
    assert about_one.reported_by == staff
    assert about_all.registration is None
    assert list(ExamIncident.objects.filter(sitting=exam).values_list("kind", flat=True)) == [
        "retard",
        "technique",
    ]


def test_incident_reports_are_refused_to_others_out_of_exam_day_and_about_strangers() -> None:
    dakar, kinshasa = centre(), centre(city="Kinshasa", country="CD", time_zone="Africa/Kinshasa")
    exam = sitting(at=dakar)
    other_exam = sitting(at=kinshasa)
    stranger = services.registration_create(
        learner=learner_of(other_exam.course_run), sitting=other_exam, now=DURING_REGISTRATION
    )
    refusals = {
        "not_allowed": {"by": campus_staff(kinshasa)},
        "reports_closed": {"now": AT_THE_DOOR - datetime.timedelta(days=3)},
        "not_a_candidate": {"registration": stranger},
        "description_required": {"description": "   "},
        "kind": {"kind": "inconnu"},
        "occurred_at": {"occurred_at": AT_THE_DOOR + datetime.timedelta(hours=1)},
    }
    for code, change in refusals.items():
        arguments = {
            "sitting": exam, "by": campus_staff(dakar), "kind": IncidentKind.OTHER,
            "description": "Fait.", "now": AT_THE_DOOR, **change,
        }  # fmt: skip
        with pytest.raises(ExamError) as refused:
            incidents.incident_report(**arguments)  # type: ignore[arg-type]
        assert refused.value.code == code
    assert not ExamIncident.objects.exists()


def test_incidents_page_lists_and_takes_reports_for_the_centre_and_reads_for_the_team() -> None:
    exam = _sitting_today()
    registration = _register(exam, full_name="Awa Diop")
    staff = campus_staff(exam.centre)
    url = reverse("exams:incidents", args=[exam.pk])

    response = _logged_in(staff).post(
        url,
        {"registration": registration.pk, "kind": "fraude", "description": "Téléphone allumé.",  # type: ignore[attr-defined]
         "occurred_time": ""},
    )  # fmt: skip
    assert response.status_code == 302
    incident = ExamIncident.objects.get()
    assert (incident.kind, incident.registration_id) == ("fraude", registration.pk)  # type: ignore[attr-defined]

    team_member = UserFactory()
    course_team_member_set(
        course=exam.course_run.course, user=team_member, role=CourseTeamRole.STAFF
    )
    page = _logged_in(team_member).get(url)
    assert page.status_code == 200
    assert "Téléphone allumé." in page.content.decode()
    assert "Consigner l’incident" not in page.content.decode()  # the team reads, the centre writes
    assert (
        _logged_in(team_member).post(url, {"kind": "autre", "description": "x"}).status_code == 403
    )

    outsider = campus_staff(centre(city="Lomé", country="TG", time_zone="Africa/Lome"))
    assert _logged_in(outsider).get(url).status_code == 403
    assert _logged_in(UserFactory()).get(url).status_code == 403
    assert ExamIncident.objects.count() == 1


def test_a_bad_incident_form_says_why_and_stores_nothing() -> None:
    exam = _sitting_today()
    response = _logged_in(campus_staff(exam.centre)).post(
        reverse("exams:incidents", args=[exam.pk]), {"kind": "autre", "description": ""}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not ExamIncident.objects.exists()


# --- Dashboards -----------------------------------------------------------------------------


def test_centre_dashboard_shows_fill_rates_with_a_fixed_number_of_queries(
    django_assert_max_num_queries: object,
) -> None:
    dakar = centre()
    exams = [
        sitting(at=dakar, seats=4, local_start=datetime.datetime(2030, 6, d, 9))
        for d in (12, 13, 14)
    ]
    for _ in range(3):
        services.registration_create(
            learner=learner_of(exams[0].course_run), sitting=exams[0], now=DURING_REGISTRATION
        )
    staff = campus_staff(dakar)
    client = _logged_in(staff)
    url = reverse("exams:centre_dashboard", args=[dakar.institution.slug])
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "3/4 (75 %)" in body
    assert body.count("0/4 (0 %)") == 2
    assert "3 sessions à venir : 3 places confirmées sur 12 (25 %)" in body

    kinshasa = centre(city="Kinshasa", country="CD", time_zone="Africa/Kinshasa")
    assert _logged_in(campus_staff(kinshasa)).get(url).status_code == 403
    assert _logged_in(UserFactory()).get(url).status_code == 403
    assert _logged_in(programme_staff()).get(url).status_code == 200


def test_course_dashboard_counts_registrations_by_country() -> None:
    run = CourseRunFactory()
    dakar = centre()
    tana = centre(city="Antananarivo", country="MG", time_zone="Indian/Antananarivo")
    in_dakar = sitting(at=dakar, run=run, seats=2)
    in_tana = sitting(at=tana, run=run, seats=5)
    for country, exam in [("SN", in_dakar), ("SN", in_dakar), ("SN", in_dakar), ("MG", in_tana)]:
        services.registration_create(
            learner=learner_of(run, country=country), sitting=exam, now=DURING_REGISTRATION
        )
    team_member = UserFactory()
    course_team_member_set(course=run.course, user=team_member, role=CourseTeamRole.STAFF)
    response = _logged_in(team_member).get(reverse("exams:run_dashboard", args=[run.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "3 places confirmées, 1 en liste d’attente." in body
    assert '<th scope="row">Sénégal</th><td>2</td><td>1</td><td>3</td>' in body
    assert '<th scope="row">Madagascar</th><td>1</td><td>0</td><td>1</td>' in body
    # A campus hosting the sitting does not see the course's numbers; nor a stranger.
    assert (
        _logged_in(campus_staff(dakar))
        .get(reverse("exams:run_dashboard", args=[run.pk]))
        .status_code
        == 403
    )


def test_the_hub_lists_only_what_the_person_runs() -> None:
    dakar = centre()
    centre(city="Lomé", country="TG", time_zone="Africa/Lome")
    body = _logged_in(campus_staff(dakar)).get(reverse("exams:hub")).content.decode()
    assert "Campus numérique de Dakar" in body
    assert "Lomé" not in body
    assert _logged_in(UserFactory()).get(reverse("exams:hub")).status_code == 403


# --- New sittings ---------------------------------------------------------------------------


def _sitting_post(run_pk: int, **changes: str) -> dict[str, str]:
    data = {
        "course_run": str(run_pk), "mode": "papier", "exam_unit_key": "", "room": "",
        "local_start": "2030-06-12T09:00", "duration_minutes": "120", "seats": "30",
        "local_registration_opens": "2030-03-01T08:00",
        "local_registration_closes": "2030-05-31T18:00", "local_cancellation_deadline": "",
        "fee_amount": "5000", "fee_currency": "XOF", "max_score": "20", "pass_mark": "10",
    }  # fmt: skip
    data.update(changes)
    return data


def test_centre_staff_create_a_sitting_in_their_local_time() -> None:
    tana = centre(city="Antananarivo", country="MG", time_zone="Indian/Antananarivo")
    run = CourseRunFactory(course__offers_certificate=True)
    client = _logged_in(campus_staff(tana))
    url = reverse("exams:sitting_create", args=[tana.institution.slug])
    assert client.get(url).status_code == 200

    response = client.post(url, _sitting_post(run.pk, pass_mark="12,5"))
    assert response.status_code == 302
    created = ExamSitting.objects.get()
    # 09:00 in Antananarivo (UTC+3) is 06:00 UTC.
    assert created.starts_at == datetime.datetime(2030, 6, 12, 6, 0, tzinfo=datetime.UTC)
    assert (created.fee_amount, created.fee_currency) == (Decimal("5000"), "XOF")
    assert created.pass_mark == Decimal("12.5")
    assert created.centre == tana


def test_a_sitting_form_with_bad_rules_says_why_and_creates_nothing() -> None:
    dakar = centre()
    run = CourseRunFactory(course__offers_certificate=True)
    client = _logged_in(campus_staff(dakar))
    url = reverse("exams:sitting_create", args=[dakar.institution.slug])
    cases = {
        "Les inscriptions ouvrent, puis ferment, avant le début de l'examen.": _sitting_post(
            run.pk, local_registration_closes="2030-06-20T18:00"
        ),
        "La note de réussite est positive et ne dépasse pas la note maximale.": _sitting_post(
            run.pk, pass_mark="25"
        ),
        "Indiquez la devise des droits d'inscription.": _sitting_post(run.pk, fee_currency=""),
    }
    for message, data in cases.items():
        response = client.post(url, data)
        assert response.status_code == 200
        assert message in html.unescape(response.content.decode())
    assert not ExamSitting.objects.exists()

    other = centre(city="Lomé", country="TG", time_zone="Africa/Lome")
    outsider = _logged_in(campus_staff(other))
    assert outsider.post(url, _sitting_post(run.pk)).status_code == 403
    assert not ExamSitting.objects.exists()


def test_tutors_do_not_see_exam_papers_and_their_colleagues_still_do() -> None:
    """A tutor follows learners but neither certifies them nor reads their exam day; the
    course's staff, on a course that has tutors, keep every page."""
    exam = sitting(at=centre())
    tutor, teacher = UserFactory(), UserFactory()
    course = exam.course_run.course
    course_team_member_set(course=course, user=tutor, role=CourseTeamRole.TUTOR)
    course_team_member_set(course=course, user=teacher, role=CourseTeamRole.STAFF)
    pages = [
        reverse("exams:attendance", args=[exam.pk]),
        reverse("exams:incidents", args=[exam.pk]),
        reverse("exams:results", args=[exam.pk]),
        reverse("exams:run_dashboard", args=[exam.course_run_id]),
        reverse("exams:attendance_pdf", args=[exam.pk]),
    ]
    assert [_logged_in(tutor).get(page).status_code for page in pages] == [403] * 5
    assert _logged_in(tutor).get(reverse("exams:hub")).status_code == 403
    assert [_logged_in(teacher).get(page).status_code for page in pages] == [200] * 5
    hub = _logged_in(teacher).get(reverse("exams:hub")).content.decode()
    assert course.title in hub
