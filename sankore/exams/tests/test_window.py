"""On-platform exams on the day: the centre's staff open the window with a fresh code, renew
it, close it; only candidates checked in at their own sitting enter, with its code, during
its window — and answer only then."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from sankore.accounts.tests.factories import UserFactory
from sankore.assessments import exam_gates
from sankore.assessments import services as assessments
from sankore.assessments.models import ExamAccess, Submission
from sankore.assessments.services import ExamClosedError, ExamCodeError, ExamNotAllowedError
from sankore.catalog.models import CourseTeamRole
from sankore.catalog.services import course_team_member_set
from sankore.catalog.tests.factories import CourseRunFactory
from sankore.courseware.exam_codes import CODE_ALPHABET, exam_sitting_code_matches
from sankore.exams import window
from sankore.exams.models import ExamSitting
from sankore.exams.services import ExamError
from sankore.exams.tests.factories import campus_staff, programme_staff, sitting
from sankore.exams.tests.window_setup import ExamDay, answer, exam_day, register

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def day() -> ExamDay:
    return exam_day()


def _window_of(sitting: ExamSitting) -> tuple[object, object, object, str]:
    sitting.refresh_from_db()
    return (
        sitting.window_opened_at, sitting.window_closes_at, sitting.window_opened_by_id,
        sitting.access_code_digest,
    )  # fmt: skip


NOT_OPENED = (None, None, None, "")


# --- The staff open, renew, close ------------------------------------------------------------


def test_the_centre_staff_open_the_window_with_a_fresh_code_kept_as_a_digest(day: ExamDay) -> None:
    opened = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now)

    sitting = day.at_dakar
    sitting.refresh_from_db()
    assert (sitting.window_opened_at, sitting.window_opened_by) == (day.now, day.staff)
    assert sitting.window_closes_at == day.now + datetime.timedelta(minutes=120)
    assert len(opened.code) == 6
    assert set(opened.code) <= set(CODE_ALPHABET)
    assert opened.code not in sitting.access_code_digest
    assert exam_sitting_code_matches(
        code=f" {opened.code[:3].lower()} {opened.code[3:]}", sitting_id=sitting.pk,
        digest=sitting.access_code_digest,
    )  # fmt: skip
    assert window.window_state(sitting=sitting, now=day.now) == window.WindowState.OPEN


def test_programme_staff_may_open_and_extra_time_is_an_hour_at_most(day: ExamDay) -> None:
    with pytest.raises(ExamError) as too_long:
        window.exam_window_open(
            sitting=day.at_dakar, by=day.staff, duration_minutes=181, now=day.now
        )
    assert too_long.value.code == "window_duration"
    assert _window_of(day.at_dakar) == NOT_OPENED

    window.exam_window_open(
        sitting=day.at_dakar, by=programme_staff(), duration_minutes=180, now=day.now
    )
    day.at_dakar.refresh_from_db()
    assert day.at_dakar.window_closes_at == day.now + datetime.timedelta(minutes=180)


def test_another_centres_staff_and_the_course_team_cannot_open_it(day: ExamDay) -> None:
    teacher = UserFactory()
    course_team_member_set(course=day.run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)

    refusals = []
    for someone in (campus_staff(day.kinshasa), teacher, UserFactory()):
        with pytest.raises(ExamError) as refused:
            window.exam_window_open(sitting=day.at_dakar, by=someone, now=day.now)
        refusals.append(refused.value.code)

    assert refusals == ["not_allowed"] * 3
    assert _window_of(day.at_dakar) == NOT_OPENED


@pytest.mark.parametrize(
    "minutes_from_start",
    [-31, -24 * 60, 121, 24 * 60],  # too early, the day before, after its end, the day after
)
def test_the_window_opens_on_exam_day_only(day: ExamDay, minutes_from_start: int) -> None:
    at = day.at_dakar.starts_at + minutes_from_start * MINUTE

    with pytest.raises(ExamError) as refused:
        window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=at)

    assert refused.value.code == "not_exam_day"
    assert _window_of(day.at_dakar) == NOT_OPENED


def test_a_paper_sitting_has_no_window(day: ExamDay) -> None:
    paper = sitting(at=day.dakar, run=day.run)

    with pytest.raises(ExamError) as refused:
        window.exam_window_open(sitting=paper, by=day.staff, now=day.now)

    assert refused.value.code == "not_platform"
    assert _window_of(paper) == NOT_OPENED


def test_the_window_opens_once_its_code_renews_and_once_closed_it_stays_closed(
    day: ExamDay,
) -> None:
    first = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now)
    with pytest.raises(ExamError) as twice:
        window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now + MINUTE)
    assert twice.value.code == "window_already_open"

    renewed = window.exam_window_code_renew(sitting=day.at_dakar, by=day.staff, now=day.now)
    digest = day.at_dakar.access_code_digest
    assert (
        not exam_sitting_code_matches(code=first.code, digest=digest, sitting_id=day.at_dakar.pk)
        or first.code == renewed.code
    )  # one chance in 113 million to draw the same one
    assert exam_sitting_code_matches(code=renewed.code, digest=digest, sitting_id=day.at_dakar.pk)

    closed_at = day.now + 30 * MINUTE
    window.exam_window_close(sitting=day.at_dakar, by=day.staff, now=closed_at)
    before = _window_of(day.at_dakar)
    assert before[1] == closed_at
    codes = []
    for action in (
        lambda: window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=closed_at),
        lambda: window.exam_window_code_renew(sitting=day.at_dakar, by=day.staff, now=closed_at),
        lambda: window.exam_window_close(sitting=day.at_dakar, by=day.staff, now=closed_at),
    ):
        with pytest.raises(ExamError) as refused:
            action()
        codes.append(refused.value.code)
    assert codes == ["window_closed"] * 3
    assert _window_of(day.at_dakar) == before


def test_no_new_code_nor_close_before_the_window_is_opened(day: ExamDay) -> None:
    with pytest.raises(ExamError) as renew:
        window.exam_window_code_renew(sitting=day.at_dakar, by=day.staff, now=day.now)
    with pytest.raises(ExamError) as close:
        window.exam_window_close(sitting=day.at_dakar, by=day.staff, now=day.now)

    assert (renew.value.code, close.value.code) == ("window_not_open", "window_not_open")
    assert _window_of(day.at_dakar) == NOT_OPENED


# --- The candidates -------------------------------------------------------------------------


def _grant(day: ExamDay, code: str, **fields: object) -> ExamAccess:
    values: dict[str, object] = {
        "user": day.learner, "course_run": day.run, "unit": day.unit, "code": code,
        "now": day.now,
    }  # fmt: skip
    values.update(fields)
    return assessments.exam_access_grant(**values)  # type: ignore[arg-type]


def _submit(day: ExamDay, *, now: datetime.datetime) -> object:
    # As the player does: the learner's due date comes from the gate.
    due_at = exam_gates.exam_due_for(
        user=day.learner, course_run=day.run, unit=day.unit, enrolled_at=None, now=now
    )
    return assessments.submission_create(
        user=day.learner, course_run=day.run, publication=day.publication,
        block_key=day.question.key, answer_data=answer("Niger"), client_token="t-1",
        due_at=due_at, now=now,
    )  # fmt: skip


def test_a_checked_in_candidate_enters_with_the_code_and_answers_during_the_window(
    day: ExamDay,
) -> None:
    day.check_in()
    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now).code

    access = _grant(day, code.lower(), now=day.now + MINUTE)
    # The publication's window closed nine days ago: the centre's replaces it.
    outcome = _submit(day, now=day.now + 100 * MINUTE)

    assert ExamAccess.objects.get() == access
    assert access.granted_at == day.now + MINUTE
    assert outcome.result.correct  # type: ignore[attr-defined]
    summary = window.window_summary(sitting=day.at_dakar, now=day.now + MINUTE)
    assert (summary.checked_in, summary.entered) == (1, 1)


def test_a_candidate_not_checked_in_is_sent_to_the_desk(day: ExamDay) -> None:
    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now).code

    with pytest.raises(ExamNotAllowedError) as refused:
        _grant(day, code)

    assert refused.value.code == "not_checked_in"
    assert str(refused.value.message) == "Présentez-vous d'abord à l'accueil du centre d'examen."
    assert not ExamAccess.objects.exists()


def test_a_learner_not_registered_cannot_start(day: ExamDay) -> None:
    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now).code
    stranger = UserFactory()

    with pytest.raises(ExamNotAllowedError) as refused:
        _grant(day, code, user=stranger)

    assert refused.value.code == "not_registered"
    assert str(refused.value.message) == "Vous n'êtes pas inscrit à cette épreuve."
    assert not ExamAccess.objects.exists()


def test_the_code_of_another_centres_sitting_lets_no_one_in(day: ExamDay) -> None:
    day.check_in()
    window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now)
    kinshasa_code = window.exam_window_open(
        sitting=day.at_kinshasa, by=campus_staff(day.kinshasa), now=day.now
    ).code

    with pytest.raises(ExamCodeError) as refused:
        _grant(day, kinshasa_code)
    with pytest.raises(ExamCodeError) as publication_code:
        _grant(day, "PUBLIC")

    assert (refused.value.code, publication_code.value.code) == ("exam_code_wrong",) * 2
    assert not ExamAccess.objects.exists()


def test_wrong_codes_are_throttled_at_the_centre_too(day: ExamDay) -> None:
    day.check_in()
    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now).code
    for _ in range(assessments.EXAM_CODE_TRIES):
        with pytest.raises(ExamCodeError):
            _grant(day, "ZZZZZZ")

    with pytest.raises(ExamCodeError) as throttled:
        _grant(day, code)

    assert throttled.value.code == "exam_code_throttled"
    assert not ExamAccess.objects.exists()


def test_before_the_window_opens_and_after_it_closes_nobody_enters_nor_answers(
    day: ExamDay,
) -> None:
    day.check_in()
    with pytest.raises(ExamClosedError) as not_yet:
        _grant(day, "PUBLIC")
    assert not_yet.value.code == "window_not_open"

    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now).code
    _grant(day, code)
    window.exam_window_close(sitting=day.at_dakar, by=day.staff, now=day.now + 5 * MINUTE)

    with pytest.raises(ExamClosedError) as closed:
        _submit(day, now=day.now + 6 * MINUTE)
    with pytest.raises(ExamClosedError) as late_entry:
        _grant(day, code, user=register(day, day.at_dakar).learner, now=day.now + 6 * MINUTE)
    assert (closed.value.code, late_entry.value.code) == ("window_closed", "window_closed")
    assert not Submission.objects.exists()


def test_an_answer_after_the_planned_end_is_refused(day: ExamDay) -> None:
    day.check_in()
    code = window.exam_window_open(
        sitting=day.at_dakar, by=day.staff, duration_minutes=60, now=day.now
    ).code
    _grant(day, code)

    with pytest.raises(ExamClosedError) as refused:
        _submit(day, now=day.now + 60 * MINUTE)

    assert refused.value.code == "window_closed"
    assert not Submission.objects.exists()


def test_an_entry_from_before_the_window_does_not_let_the_candidate_answer(day: ExamDay) -> None:
    # Say they typed the publication's code back when the unit had its own window.
    ExamAccess.objects.create(
        user=day.learner, course_run=day.run, unit_key=day.unit.key,
        granted_at=day.now - datetime.timedelta(days=9, hours=12),
    )  # fmt: skip
    day.check_in()
    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff, now=day.now).code

    with pytest.raises(ExamCodeError) as refused:
        _submit(day, now=day.now + MINUTE)
    assert refused.value.code == "exam_code_required"

    _grant(day, code, now=day.now + 2 * MINUTE)
    _submit(day, now=day.now + 3 * MINUTE)
    assert ExamAccess.objects.get().granted_at == day.now + 2 * MINUTE


def test_a_unit_without_sittings_is_left_to_its_own_window() -> None:
    decision = exam_gates.exam_gate_decision(
        user=UserFactory(), course_run=CourseRunFactory(), unit_key="u-1",
        now=datetime.datetime(2030, 6, 12, tzinfo=datetime.UTC),
    )  # fmt: skip

    assert decision is None


# --- The pages ------------------------------------------------------------------------------


def test_the_staff_page_opens_the_window_and_shows_the_code_to_whoever_drew_it(
    client: Client, day: ExamDay
) -> None:
    url = reverse("exams:window", args=[day.at_dakar.pk])
    client.force_login(campus_staff(day.kinshasa))
    assert client.get(url).status_code == 403
    assert client.post(reverse("exams:window_open", args=[day.at_dakar.pk])).status_code == 403
    assert _window_of(day.at_dakar) == NOT_OPENED

    client.force_login(day.staff)
    closed = client.get(url).content.decode()
    assert "Pas encore ouverte" in closed
    assert "Ouvrir l’épreuve" in closed

    opened = client.post(
        reverse("exams:window_open", args=[day.at_dakar.pk]), {"duration_minutes": "90"},
        follow=True,
    ).content.decode()  # fmt: skip
    day.at_dakar.refresh_from_db()
    assert day.at_dakar.window_closes_at is not None
    assert day.at_dakar.window_opened_at is not None
    assert day.at_dakar.window_closes_at - day.at_dakar.window_opened_at == 90 * MINUTE
    closes = day.at_dakar.window_closes_at.strftime("%H:%M")  # Dakar is UTC+0
    assert f"Ouverte jusqu’à {closes}" in opened
    shown = opened.split('class="exam-code" aria-label="')[1][:6]
    assert exam_sitting_code_matches(
        code=shown, digest=day.at_dakar.access_code_digest, sitting_id=day.at_dakar.pk
    )
    assert shown in client.get(url).content.decode()  # a reload shows it again

    colleague = Client()
    colleague.force_login(campus_staff(day.dakar))
    seen = colleague.get(url).content.decode()
    assert shown not in seen
    assert "demandez-le lui, ou tirez-en un nouveau" in seen
    colleague.post(reverse("exams:window_renew", args=[day.at_dakar.pk]))
    assert shown not in client.get(url).content.decode()  # the old code is gone everywhere

    closed_page = client.post(
        reverse("exams:window_close", args=[day.at_dakar.pk]), follow=True
    ).content.decode()
    assert "Fermée à" in closed_page


def test_the_course_team_sees_the_window_without_running_it(client: Client, day: ExamDay) -> None:
    teacher = UserFactory()
    course_team_member_set(course=day.run.course, user=teacher, role=CourseTeamRole.INSTRUCTOR)
    client.force_login(teacher)

    page = client.get(reverse("exams:window", args=[day.at_dakar.pk])).content.decode()
    client.post(reverse("exams:window_open", args=[day.at_dakar.pk]))

    assert "Pas encore ouverte" in page
    assert "Ouvrir l’épreuve" not in page
    assert _window_of(day.at_dakar) == NOT_OPENED


def test_the_attendance_list_links_to_the_window(client: Client, day: ExamDay) -> None:
    client.force_login(day.staff)
    page = client.get(reverse("exams:attendance", args=[day.at_dakar.pk])).content.decode()
    assert reverse("exams:window", args=[day.at_dakar.pk]) in page


def test_the_exam_page_tells_the_candidate_what_to_do_then_lets_them_in(
    client: Client, day: ExamDay
) -> None:
    client.force_login(day.learner)
    url = reverse("player:unit", args=[day.run.pk, day.unit.key])
    unlock = reverse("player:exam_unlock", args=[day.run.pk, day.unit.key])

    at_the_door = client.get(url).content.decode()
    assert "Présentez-vous d’abord à l’accueil" in at_the_door.replace("'", "’").replace(
        "&#x27;", "’"
    )
    assert 'name="code"' not in at_the_door
    assert "Le fleuve de Niamey" not in at_the_door

    day.check_in()
    assert "pas encore ouverte" in client.get(url).content.decode()
    code = window.exam_window_open(sitting=day.at_dakar, by=day.staff).code
    assert 'name="code"' in client.get(url).content.decode()

    opened = client.post(unlock, {"code": code}, follow=True).content.decode()
    assert "Le fleuve de Niamey" in opened
    answered = client.post(
        reverse("player:block_action", args=[day.run.pk, day.question.key, "repondre"]),
        {"answer": "Niger", "token": "t-page"},
    )
    assert answered.status_code == 302
    assert Submission.objects.get(user=day.learner).is_correct
