"""The results page of the course team (the form, the import, the jury's button), its link
from the attendance list, and the validated result on the learner's « Mes examens »."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.credentials.models import Credential
from sankore.exams import results
from sankore.exams.models import ExamResult
from sankore.exams.tests.factories import campus_staff
from sankore.exams.tests.result_helpers import AFTER_THE_EXAM, Exam, exam, team_member

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture(autouse=True)
def keys_dir(settings: Any, tmp_path: Path) -> None:
    settings.CREDENTIALS_KEYS_DIR = tmp_path / "keys"  # issuer keys of the test only


def _url(given: Exam, name: str = "exams:results") -> str:
    return reverse(name, args=[given.sitting.pk])


def _field(given: Exam, index: int) -> str:
    return f"note_{given.candidates[index].pk}"


def test_the_results_page_is_the_course_teams_only(client: Client) -> None:
    given = exam(candidates=1)
    url = _url(given)

    assert client.get(url).status_code == 302  # to the login page
    for person in [
        given.candidates[0].learner,
        campus_staff(given.centre),
        team_member(exam(candidates=0).run),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {_field(given, 0): "12"}).status_code == 403
        upload = SimpleUploadedFile("notes.csv", b"place;note\n1;12\n", "text/csv")
        assert client.post(_url(given, "exams:results_import"), {"file": upload}).status_code == (
            403
        )
        assert client.post(_url(given, "exams:results_validate")).status_code == 403
    assert not ExamResult.objects.exists()


def test_the_page_lists_the_candidates_with_presence_scale_and_counts(
    client: Client, django_assert_max_num_queries: Capture
) -> None:
    given = exam(candidates=4)
    given.check_in(given.candidates[0])
    given.check_in(given.candidates[1])
    results.results_enter(
        sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
        texts={given.candidates[0].pk: "12,5", given.candidates[2].pk: "ABS"},
    )  # fmt: skip
    client.force_login(given.team)

    with django_assert_max_num_queries(6):
        page = client.get(_url(given))

    text = page.content.decode()
    assert page.status_code == 200
    assert "Notes sur 20 ; admis à partir de 10." in text
    assert "2 résultats saisis sur 4 candidats (2 présents à l’accueil) : 1 admis, 1 absents." in (
        text
    )
    assert 'value="12,5"' in text
    assert 'value="ABS"' in text
    for registration in given.candidates:
        assert registration.learner.email in text
    given.register(6)  # more candidates, no more queries
    with django_assert_max_num_queries(6):
        assert client.get(_url(given)).status_code == 200


def test_saving_the_form_with_a_wrong_row_stores_nothing_and_shows_the_error_beside_it(
    client: Client,
) -> None:
    given = exam(candidates=3)
    client.force_login(given.team)

    refused = client.post(
        _url(given), {_field(given, 0): "14", _field(given, 1): "35", _field(given, 2): "ABS"}
    )

    text = refused.content.decode()
    assert refused.status_code == 400
    assert not ExamResult.objects.exists()
    assert f'id="id_{_field(given, 1)}-error"' in text
    assert "La note 35 n&#x27;est pas comprise entre 0 et 20." in text
    assert 'value="14"' in text  # what was typed stays to be corrected

    saved = client.post(
        _url(given), {_field(given, 0): "14", _field(given, 1): "5", _field(given, 2): "ABS"}
    )

    assert saved.status_code == 302
    assert sorted(ExamResult.objects.values_list("score", flat=True), key=str) == [
        Decimal("14.00"),
        Decimal("5.00"),
        None,
    ]


def test_an_import_with_errors_lists_them_with_their_lines_and_stores_nothing(
    client: Client,
) -> None:
    given = exam(candidates=2)
    client.force_login(given.team)
    data = f"email;note\n{given.candidates[0].learner.email};12\ninconnu@example.org;11\n"

    refused = client.post(
        _url(given, "exams:results_import"),
        {"file": SimpleUploadedFile("notes.csv", data.encode("cp1252"), "text/csv")},
    )

    text = refused.content.decode()
    assert refused.status_code == 400
    assert "Ligne 3 : aucun candidat confirmé de cette session n&#x27;a l&#x27;adresse" in text
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ("email;note\n".encode("utf-16"), 'class="errorlist"'),
        (bytes(range(256)) * 8, 'class="errorlist"'),
        (b"\xff\xfe\x00\x00garbage", 'class="errorlist"'),
        (b"", 'class="errorlist"'),  # an empty upload: the form's own message
        (b'email;note\n"unterminated;12\n', "Ligne 2 : la colonne « note » manque"),
    ],
)
def test_an_unreadable_file_gets_a_message_never_a_500(
    client: Client, data: bytes, says: str
) -> None:
    given = exam(candidates=1)
    client.force_login(given.team)

    refused = client.post(
        _url(given, "exams:results_import"),
        {"file": SimpleUploadedFile("notes.csv", data, "text/csv")},
    )

    assert refused.status_code == 400
    assert says in refused.content.decode()
    assert not ExamResult.objects.exists()


def test_a_good_import_says_how_many_were_imported_and_passed(client: Client) -> None:
    given = exam(candidates=3)
    client.force_login(given.team)
    data = "place;note\n1;15\n2;9,5\n3;abs\n"

    imported = client.post(
        _url(given, "exams:results_import"),
        {"file": SimpleUploadedFile("notes.csv", data.encode(), "text/csv")},
        follow=True,
    )

    assert "Fichier importé : 3 lignes lues. 3 résultats enregistrés (1 admis, 1 absents)." in (
        imported.content.decode()
    )
    assert ExamResult.objects.count() == 3


def test_the_jury_button_validates_then_the_page_shows_the_certificates(
    client: Client,
    django_capture_on_commit_callbacks: Capture,
    django_assert_max_num_queries: Capture,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    given = exam(candidates=2)
    client.force_login(given.team)
    client.post(_url(given), {_field(given, 0): "16", _field(given, 1): "4"})

    with django_capture_on_commit_callbacks(execute=True):
        validated = client.post(_url(given, "exams:results_validate"))

    assert validated.status_code == 302
    # Session, user, sitting, two permission checks, the rows; certificates and enrolments.
    with django_assert_max_num_queries(8):
        text = client.get(_url(given)).content.decode()
    certificate = Credential.objects.get()
    assert certificate.holder == given.candidates[0].learner
    assert "Le jury a validé ces résultats le" in text
    assert f"délivré ({certificate.identifier})" in text
    assert 'name="note_' not in text  # no more inputs
    assert len(mailoutbox) == 2


def test_the_jury_button_before_every_result_is_entered_says_who_is_missing(
    client: Client,
) -> None:
    given = exam(candidates=2)
    client.force_login(given.team)
    client.post(_url(given), {_field(given, 0): "16", _field(given, 1): ""})

    page = client.post(_url(given, "exams:results_validate"), follow=True)

    assert "Un candidat n&#x27;a pas encore de résultat : place n° 2" in page.content.decode()
    given.sitting.refresh_from_db()
    assert given.sitting.results_validated_at is None


def test_the_attendance_list_links_to_the_results_for_the_team_only(client: Client) -> None:
    given = exam(candidates=1)
    link = f'href="{_url(given)}"'

    client.force_login(given.team)
    assert link in client.get(_url(given, "exams:attendance")).content.decode()
    client.force_login(campus_staff(given.centre))
    assert link not in client.get(_url(given, "exams:attendance")).content.decode()


def test_the_learner_sees_their_result_once_validated_only(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    given = exam(candidates=1)
    learner = given.candidates[0].learner
    results.results_enter(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
                          texts={given.candidates[0].pk: "13,5"})  # fmt: skip
    client.force_login(learner)
    mine = reverse("exams:mine")

    assert "Résultat" not in client.get(mine).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)

    assert "Résultat : 13,5 sur 20" in client.get(mine).content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    given = exam(candidates=0)
    for name in ["exams:results_import", "exams:results_validate", "exams:results_collect"]:
        assert client.post(_url(given, name)).status_code == 302
    client.force_login(UserFactory())
    assert client.get(_url(given, "exams:results_import")).status_code == 405


def test_a_certificate_not_issued_is_shown_to_the_team_with_a_retry(
    client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    given = exam(candidates=0)
    (nameless,) = given.register(full_name="")
    results.results_enter(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM,
                          texts={nameless.pk: "15"})  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        results.results_validate(sitting=given.sitting, by=given.team, now=AFTER_THE_EXAM)
    client.force_login(given.team)

    text = client.get(_url(given)).content.decode()

    assert not Credential.objects.exists()
    assert "non délivré : nom à imprimer manquant dans le profil" in text
    assert f'action="{_url(given, "exams:results_publish_retry")}"' in text
