"""A CSV file of results: UTF-8 or Windows-1252, « ; » or « , », headers in French or
English; every wrong line reported with its number, and then nothing stored."""

from __future__ import annotations

import codecs
from decimal import Decimal

import pytest

from sankore.exams import results, results_csv
from sankore.exams.models import ExamResult, ResultSource
from sankore.exams.results import ResultError, ResultRowsError
from sankore.exams.tests.factories import campus_staff
from sankore.exams.tests.result_helpers import AFTER_THE_EXAM, Exam, exam

pytestmark = pytest.mark.django_db


def _import(given: Exam, data: bytes) -> results.BatchOutcome:
    return results.results_import(
        sitting=given.sitting, data=data, by=given.team, now=AFTER_THE_EXAM
    )


def _stored() -> dict[int, tuple[Decimal | None, bool, bool, str]]:
    return {
        r.registration_id: (r.score, r.absent, r.passed, r.source) for r in ExamResult.objects.all()
    }


def test_a_french_excel_file_in_windows_1252_with_semicolons() -> None:
    given = exam(candidates=3)
    a, b, c = given.candidates
    text = (
        "Nom;Courriel;Note\r\n"
        f"Aïssatou Diallo;{a.learner.email.upper()};12,5\r\n"
        f"Gaëlle Ndiaye;{b.learner.email};ABS\r\n"
        f"Élodie Sarr;{c.learner.email};9\r\n"
    )

    outcome = _import(given, text.encode("cp1252"))

    assert (outcome.stored, outcome.passed, outcome.absent) == (3, 1, 1)
    assert _stored() == {
        a.pk: (Decimal("12.50"), False, True, ResultSource.IMPORTED),
        b.pk: (None, True, False, ResultSource.IMPORTED),
        c.pk: (Decimal("9.00"), False, False, ResultSource.IMPORTED),
    }


def test_a_utf8_file_with_its_bom_commas_and_seats_instead_of_addresses() -> None:
    given = exam(candidates=2)
    a, b = given.candidates
    text = '\ufeffN° de place,Note,Remarque\n1,"14,75",Très bien\n2,,Absente\n'

    outcome = _import(given, text.encode("utf-8"))

    assert (outcome.stored, outcome.passed, outcome.absent) == (2, 1, 1)
    assert _stored() == {
        a.pk: (Decimal("14.75"), False, True, ResultSource.IMPORTED),
        b.pk: (None, True, False, ResultSource.IMPORTED),
    }


@pytest.mark.parametrize("header", ["E-mail;Score", "email;note", "COURRIEL;Résultat", "mail;NOTE"])
def test_header_names_in_any_case_and_accents(header: str) -> None:
    given = exam(candidates=1)
    data = f"{header}\n{given.candidates[0].learner.email};17\n".encode()

    assert _import(given, data).stored == 1


def test_one_wrong_line_among_three_stores_nothing_and_every_error_is_listed() -> None:
    given = exam(candidates=3)
    a, b, c = given.candidates
    text = (
        "email;note\n"
        f"{a.learner.email};12\n"
        f"inconnu@example.org;11\n"
        f"{b.learner.email};21\n"
        f"{c.learner.email};bien\n"
        f"{a.learner.email};13\n"
        f"{c.learner.email}\n"
    )

    with pytest.raises(ResultRowsError) as refused:
        _import(given, text.encode())

    assert not ExamResult.objects.exists()
    assert [(e.line, str(e.message)) for e in refused.value.errors] == [
        (3, "aucun candidat confirmé de cette session n'a l'adresse inconnu@example.org."),
        (4, "La note 21 n'est pas comprise entre 0 et 20."),
        (5, "« bien » n'est pas une note : écrivez un nombre (12,5) ou « ABS »."),
        (6, "Ce candidat figure déjà ligne 2."),
        (7, "la colonne « note » manque sur cette ligne."),
    ]
    assert str(refused.value.message) == (
        "5 lignes comportent une erreur : aucun résultat n'a été enregistré."
    )


def test_a_seat_without_candidate_and_a_seat_contradicting_the_address() -> None:
    given = exam(candidates=2)
    a, _b = given.candidates
    text = f"place;email;note\n9;;10\n2;{a.learner.email};10\nA3;;10\n"

    with pytest.raises(ResultRowsError) as refused:
        _import(given, text.encode())

    assert [(e.line, str(e.message)) for e in refused.value.errors] == [
        (2, "aucun candidat confirmé n'occupe la place n° 9."),
        (3, f"l'adresse {a.learner.email} et la place n° 2 désignent deux candidats différents."),
        (4, "« A3 » n'est pas un numéro de place."),
    ]
    assert not ExamResult.objects.exists()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ("email;note\nx@example.org;12\n".encode("utf-16"), "csv_encoding"),
        (codecs.BOM_UTF16_LE + "email;note\n".encode("utf-16-le"), "csv_encoding"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv_encoding"),
        (b"PK\x03\x04\x14\x00\x06\x00", "csv_encoding"),  # an .xlsx sent as is
        ("nom;prénom\nDiallo;Awa\n".encode(), "csv_columns"),
        (b"email;note\n", "csv_empty"),
        (b"", "csv_empty"),
        (b"email;note\n" + b"x@example.org;1\n" * (results_csv.MAX_ROWS + 1), "csv_too_long"),
        (b"email;note\n" + b" " * results_csv.MAX_BYTES, "csv_too_large"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(data: bytes, code: str) -> None:
    given = exam(candidates=1)

    with pytest.raises(ResultError) as refused:
        _import(given, data)

    assert refused.value.code == code
    assert not ExamResult.objects.exists()


def test_the_encoding_message_says_what_to_do() -> None:
    with pytest.raises(results_csv.CsvError) as refused:
        results_csv.csv_decode("email;note".encode("utf-16"))

    assert "« CSV UTF-8 »" in refused.value.message


def test_only_the_course_team_imports() -> None:
    given = exam(candidates=1)
    data = f"email;note\n{given.candidates[0].learner.email};12\n".encode()

    with pytest.raises(ResultError) as refused:
        results.results_import(
            sitting=given.sitting, data=data, by=campus_staff(given.centre), now=AFTER_THE_EXAM
        )

    assert refused.value.code == "not_allowed"
    assert not ExamResult.objects.exists()
