"""Exam results: a score out of the sitting's maximum, or absent — entered by the course team
one by one or on the results page, imported from a CSV file, or collected from the
on-platform exam (``results_platform``) — then validated by the team as jury, which issues
the certificates of those who passed and tells every candidate (``results_publish``).

Every write takes the sitting's row lock, the one the jury's validation takes too: a result
sent while the jury validates waits, then is refused — never stored after a validation it
was not part of. A batch (the page's form, a file, the platform's scores) is checked whole
and stored whole, or nothing is.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from sankore.accounts.models import User
from sankore.credentials.models import CredentialKind
from sankore.credentials.services import CredentialError, refuse_unless_offered
from sankore.exams import results_csv
from sankore.exams.models import (
    ExamRegistration,
    ExamResult,
    ExamSitting,
    RegistrationStatus,
    ResultSource,
)
from sankore.exams.permissions import user_can_enter_results
from sankore.exams.services import ExamError

CENT = Decimal("0.01")
# Scores up to this one have two decimals in the decimal context (28 digits): ``quantize``
# cannot raise for them. A sitting's maximum is far below (``max_digits=6``).
MAX_LABELLED = Decimal("1e20")
# Names listed in a refusal before « and N others »: enough to act on, short enough to read.
NAMES_LISTED = 10


class ResultError(ExamError):
    pass


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row of a batch: a file's line, or a candidate of the form."""

    message: StrOrPromise
    line: int | None = None
    registration_id: int | None = None


class ResultRowsError(ResultError):
    """Some rows of a batch are wrong: every one is listed, and nothing was stored."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        count = len(errors)
        super().__init__(
            ngettext(
                "%(count)s ligne comporte une erreur : aucun résultat n'a été enregistré.",
                "%(count)s lignes comportent une erreur : aucun résultat n'a été enregistré.",
                count,
            )
            % {"count": count},
            code="rows_invalid",
        )
        self.errors = sorted(errors, key=lambda e: (e.line or 0, e.registration_id or 0))


@dataclass(frozen=True)
class ResultEntry:
    registration: ExamRegistration
    score: Decimal | None
    absent: bool
    line: int | None = None


@dataclass(frozen=True)
class BatchOutcome:
    stored: int  # new or changed results
    unchanged: int
    passed: int  # among the batch's candidates
    absent: int
    kept: int = 0  # entered by hand, left as they are (``keep_by_hand``)


def score_label(score: Decimal) -> str:
    """« 12,5 », « 14 »: a score without trailing zeros, with the decimal separator of the
    active language (the forms read either back)."""
    text = f"{score.quantize(CENT):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", str(formats.get_format("DECIMAL_SEPARATOR")))


def sitting_ends_at(sitting: ExamSitting) -> datetime.datetime:
    """The end of the sitting: its last minute, or the on-platform window's close if later."""
    ends = sitting.starts_at + datetime.timedelta(minutes=sitting.duration_minutes)
    if sitting.window_closes_at is not None and sitting.window_closes_at > ends:
        return sitting.window_closes_at
    return ends


def refuse_unless_results_team(*, by: User, sitting: ExamSitting) -> None:
    if not user_can_enter_results(user=by, sitting=sitting):
        raise ResultError(
            _("Seule l'équipe pédagogique du cours saisit et valide les résultats."),
            code="not_allowed",
        )


def _refuse_before_start(*, sitting: ExamSitting, now: datetime.datetime) -> None:
    if now < sitting.starts_at:
        raise ResultError(
            _("L'examen n'a pas encore eu lieu : ses résultats se saisissent après."),
            code="not_started",
        )


def _locked_open(sitting: ExamSitting) -> ExamSitting:
    """The sitting's row, locked; refused once its results are validated (inside the lock,
    so a validation that just happened is seen)."""
    locked = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
    if locked.results_validated_at is not None:
        raise ResultError(
            _("Le jury a validé les résultats de cette session : ils ne changent plus."),
            code="results_validated",
        )
    return locked


def _entry_problem(
    *, sitting: ExamSitting, score: Decimal | None, absent: bool
) -> tuple[str, str] | None:
    """(message, code) when a score cannot be stored for this sitting."""
    if absent:
        if score is not None:
            return gettext("Un candidat absent n'a pas de note."), "score_and_absent"
        return None
    if score is None:
        return gettext("Saisissez une note, ou « ABS » pour un absent."), "score_required"
    decimals = gettext("Une note a au plus deux décimales (par exemple 12,25)."), "score_decimals"
    if not score.is_finite():
        return decimals
    # The range first: « 1e309 » or thirty digits compare exactly, but have no two-decimal
    # form in the decimal context (``quantize`` raises), so they are never rounded.
    if not Decimal(0) <= score <= sitting.max_score:
        return (
            gettext("La note %(score)s n'est pas comprise entre 0 et %(max)s.")
            % {"score": _score_typed(score), "max": score_label(sitting.max_score)},
            "score_out_of_range",
        )
    if score != score.quantize(CENT):
        return decimals
    return None


def _score_typed(score: Decimal) -> str:
    """A refused score as it was typed: not rounded to two decimals, nor made to have them."""
    if Decimal(0) <= score <= MAX_LABELLED and score == score.quantize(CENT):
        return score_label(score)
    return str(score).replace(".", ",")


def _values(
    *,
    sitting: ExamSitting,
    score: Decimal | None,
    absent: bool,
    by: User,
    source: str,
    now: datetime.datetime,
) -> dict[str, object]:
    return {
        "sitting": sitting,
        "score": None if absent else score,
        "absent": absent,
        "passed": not absent and score is not None and score >= sitting.pass_mark,
        "source": source,
        "entered_at": now,
        "entered_by": by,
    }


def result_record(
    *,
    registration: ExamRegistration,
    score: Decimal | None,
    absent: bool,
    by: User,
    source: str = ResultSource.ENTERED,
    now: datetime.datetime | None = None,
) -> ExamResult:
    """One candidate's result (a score, or absent), by the course team, until the jury
    validates the sitting."""
    moment = timezone.now() if now is None else now
    sitting = registration.sitting
    refuse_unless_results_team(by=by, sitting=sitting)
    _refuse_before_start(sitting=sitting, now=moment)
    problem = _entry_problem(sitting=sitting, score=score, absent=absent)
    if problem is not None:
        raise ResultError(problem[0], code=problem[1])
    with transaction.atomic():
        locked = _locked_open(sitting)
        current = ExamRegistration.objects.get(pk=registration.pk)
        if current.status != RegistrationStatus.CONFIRMED:
            raise ResultError(
                _("Seul un candidat à la place confirmée a un résultat."), code="not_confirmed"
            )
        result, _created = ExamResult.objects.update_or_create(
            registration=current,
            defaults=_values(
                sitting=locked, score=score, absent=absent, by=by, source=source, now=moment
            ),
        )
    return result


def _entries_check(*, sitting: ExamSitting, entries: Sequence[ResultEntry]) -> list[RowError]:
    errors = []
    first_line: dict[int, int | None] = {}
    for entry in entries:
        registration = entry.registration

        def error(message: StrOrPromise, entry: ResultEntry = entry) -> RowError:
            return RowError(message, line=entry.line, registration_id=entry.registration.pk)

        if (
            registration.sitting_id != sitting.pk
            or registration.status != RegistrationStatus.CONFIRMED
        ):
            errors.append(error(gettext("Ce candidat n'a pas de place confirmée à cette session.")))
            continue
        if registration.pk in first_line:
            earlier = first_line[registration.pk]
            message = (
                gettext("Ce candidat figure déjà ligne %(line)s.") % {"line": earlier}
                if earlier is not None
                else gettext("Ce candidat figure deux fois.")
            )
            errors.append(error(message))
            continue
        first_line[registration.pk] = entry.line
        problem = _entry_problem(sitting=sitting, score=entry.score, absent=entry.absent)
        if problem is not None:
            errors.append(error(problem[0]))
    return errors


def results_record_many(
    *,
    sitting: ExamSitting,
    entries: Sequence[ResultEntry],
    by: User,
    source: str,
    keep_by_hand: bool = False,
    now: datetime.datetime | None = None,
) -> BatchOutcome:
    """Several candidates' results at once, all or none: every wrong row is reported
    (``ResultRowsError``) and then nothing is stored. Unchanged results are left as they
    were (their origin and author too); with ``keep_by_hand``, so are those entered or
    imported by the team (the platform's scores never replace them)."""
    moment = timezone.now() if now is None else now
    refuse_unless_results_team(by=by, sitting=sitting)
    _refuse_before_start(sitting=sitting, now=moment)
    errors = _entries_check(sitting=sitting, entries=entries)
    if errors:
        raise ResultRowsError(errors)
    ids = [entry.registration.pk for entry in entries]
    with transaction.atomic():
        locked = _locked_open(sitting)
        # Again under the lock: a candidate cancelled meanwhile has no result to take.
        still = set(
            ExamRegistration.objects.filter(
                pk__in=ids, sitting=locked, status=RegistrationStatus.CONFIRMED
            ).values_list("pk", flat=True)
        )
        gone = [
            RowError(
                gettext("Ce candidat n'a plus de place confirmée à cette session."),
                line=entry.line, registration_id=entry.registration.pk,
            )
            for entry in entries
            if entry.registration.pk not in still
        ]  # fmt: skip
        if gone:
            raise ResultRowsError(gone)
        existing = {
            result.registration_id: result
            for result in ExamResult.objects.filter(registration_id__in=ids)
        }
        changed, taken = [], []
        for entry in entries:
            before = existing.get(entry.registration.pk)
            # Read here, under the lock: a score a colleague entered since the caller looked
            # is seen, never overwritten.
            if keep_by_hand and before is not None and before.source != ResultSource.PLATFORM:
                continue
            taken.append(entry)
            if before is not None and (before.absent, before.score) == (entry.absent, entry.score):
                continue
            changed.append(
                ExamResult(
                    registration_id=entry.registration.pk,
                    **_values(
                        sitting=locked,
                        score=entry.score,
                        absent=entry.absent,
                        by=by,
                        source=source,
                        now=moment,
                    ),
                )
            )
        # One statement for the whole batch; the registration's uniqueness decides between
        # a new result and a changed one.
        ExamResult.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["registration"],
            update_fields=["score", "absent", "passed", "source", "entered_at", "entered_by"],
        )
    return BatchOutcome(
        stored=len(changed),
        unchanged=len(taken) - len(changed),
        passed=sum(
            1 for e in taken if not e.absent and e.score is not None and e.score >= locked.pass_mark
        ),
        absent=sum(1 for e in taken if e.absent),
        kept=len(entries) - len(taken),
    )


def results_enter(
    *,
    sitting: ExamSitting,
    texts: Mapping[int, str],
    by: User,
    now: datetime.datetime | None = None,
) -> BatchOutcome:
    """The results page's form: one text per confirmed candidate (by registration) —
    « 12,5 », « ABS », or blank when not entered yet."""
    refuse_unless_results_team(by=by, sitting=sitting)
    registrations = {
        r.pk: r
        for r in ExamRegistration.objects.filter(pk__in=list(texts), sitting=sitting)
        .select_related("result")
    }  # fmt: skip
    entries, errors = [], []
    for registration_id, text in texts.items():
        registration = registrations.get(registration_id)
        if registration is None:
            errors.append(RowError(gettext("Candidat inconnu."), registration_id=registration_id))
            continue
        if not text.strip():
            if hasattr(registration, "result"):
                errors.append(
                    RowError(
                        gettext("Un résultat enregistré ne s'efface pas : saisissez une note "
                                "ou « ABS »."),
                        registration_id=registration_id,
                    )
                )  # fmt: skip
            continue
        parsed = results_csv.score_parse(text)
        if parsed is None:
            errors.append(RowError(_not_a_score(text), registration_id=registration_id))
            continue
        entries.append(ResultEntry(registration, parsed.score, parsed.absent))
    errors.extend(_entries_check(sitting=sitting, entries=entries))
    if errors:
        raise ResultRowsError(errors)
    return results_record_many(
        sitting=sitting, entries=entries, by=by, source=ResultSource.ENTERED, now=now
    )


def _not_a_score(text: str) -> str:
    return gettext("« %(text)s » n'est pas une note : écrivez un nombre (12,5) ou « ABS ».") % {
        "text": text.strip()[:40]
    }


def results_import(
    *,
    sitting: ExamSitting,
    data: bytes,
    by: User,
    now: datetime.datetime | None = None,
) -> BatchOutcome:
    """A CSV file of results (see ``results_csv``): every line checked, every error
    reported with its line number, and the whole file stored or none of it."""
    refuse_unless_results_team(by=by, sitting=sitting)
    try:
        read = results_csv.csv_read(sitting=sitting, data=data)
    except results_csv.CsvError as error:
        raise ResultError(error.message, code=error.code) from None
    errors = [RowError(message, line=line) for line, message in read.errors]
    entries = []
    for entry in read.entries:
        parsed = results_csv.score_parse(entry.score_text)
        if parsed is None:
            errors.append(RowError(_not_a_score(entry.score_text), line=entry.line))
            continue
        entries.append(ResultEntry(entry.registration, parsed.score, parsed.absent, entry.line))
    errors.extend(_entries_check(sitting=sitting, entries=entries))
    if errors:
        raise ResultRowsError(errors)
    return results_record_many(
        sitting=sitting, entries=entries, by=by, source=ResultSource.IMPORTED, now=now
    )


# --- The jury ---------------------------------------------------------------------------


def _names(registrations: Sequence[ExamRegistration]) -> str:
    names = [
        gettext("place n° %(seat)s, %(name)s")
        % {"seat": r.seat_number, "name": r.learner.printed_name or r.learner.email}
        for r in registrations[:NAMES_LISTED]
    ]
    more = len(registrations) - NAMES_LISTED
    if more > 0:
        names.append(ngettext("et %(n)s autre", "et %(n)s autres", more) % {"n": more})
    return " ; ".join(names)


def results_validate(
    *, sitting: ExamSitting, by: User, now: datetime.datetime | None = None
) -> ExamSitting:
    """The jury validates the sitting once every confirmed candidate has a result, after
    the sitting: the results become final, the certificates of those who passed are issued
    and every candidate is told (in the worker, once this is committed)."""
    moment = timezone.now() if now is None else now
    refuse_unless_results_team(by=by, sitting=sitting)
    try:
        refuse_unless_offered(course_run=sitting.course_run, kind=CredentialKind.CERTIFICATE)
    except CredentialError:
        raise ResultError(
            _("Ce cours ne délivre pas de certificat : activez-le dans la fiche du cours avant "
              "de valider les résultats."),
            code="certificate_not_offered",
        ) from None  # fmt: skip
    if moment < sitting_ends_at(sitting):
        raise ResultError(
            _("L'examen n'est pas terminé : le jury valide ses résultats après."),
            code="sitting_not_ended",
        )
    with transaction.atomic():
        locked = ExamSitting.objects.select_for_update().get(pk=sitting.pk)
        if locked.results_validated_at is not None:
            raise ResultError(
                _("Les résultats de cette session sont déjà validés."), code="already_validated"
            )
        missing = list(
            ExamRegistration.objects.filter(
                sitting=locked, status=RegistrationStatus.CONFIRMED, result__isnull=True
            )
            .select_related("learner")
            .order_by("seat_number")
        )
        if missing:
            raise ResultError(
                ngettext(
                    "Un candidat n'a pas encore de résultat : %(names)s.",
                    "%(count)s candidats n'ont pas encore de résultat : %(names)s.",
                    len(missing),
                )
                % {"count": len(missing), "names": _names(missing)},
                code="results_missing",
            )
        locked.results_validated_at = moment
        locked.results_validated_by = by
        locked.save(update_fields=["results_validated_at", "results_validated_by"])
        sitting_id, by_id = locked.pk, by.pk
        transaction.on_commit(lambda: _publish_enqueue(sitting_id=sitting_id, by_id=by_id))
    sitting.results_validated_at, sitting.results_validated_by = moment, by
    return locked


def results_publish_retry(*, sitting: ExamSitting, by: User) -> None:
    """Issue again the certificates that could not be (a printed name added since, say):
    issuing and notifying are idempotent, so nobody gets a second one."""
    refuse_unless_results_team(by=by, sitting=sitting)
    if sitting.results_validated_at is None:
        raise ResultError(
            _("Le jury n'a pas encore validé les résultats de cette session."),
            code="not_validated",
        )
    sitting_id, by_id = sitting.pk, by.pk
    transaction.on_commit(lambda: _publish_enqueue(sitting_id=sitting_id, by_id=by_id))


def _publish_enqueue(*, sitting_id: int, by_id: int) -> None:
    from sankore.exams.tasks import results_publish_task

    results_publish_task.enqueue(sitting_id, by_id)
