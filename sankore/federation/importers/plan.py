"""The dry run of an import (what would be created, updated or left unchanged, field by
field; what is refused, where) and its application: in one transaction, refused as a whole if
any piece of the file is refused, so nothing is ever half imported."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from sankore.catalog import services as catalog_services
from sankore.catalog.models import (
    Course,
    CourseRun,
    Discipline,
    Hosting,
    Language,
    Level,
    Licence,
)
from sankore.core.errors import ServiceError
from sankore.federation.importers.records import CourseRecord, RowError, RunRecord
from sankore.institutions.models import Institution

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
DEFAULT_LEVEL = Level.INTRODUCTORY.value
DEFAULT_EFFORT = Decimal("2")
DEFAULT_DURATION_WEEKS = 4
DEFAULT_LICENCE = Licence.ALL_RIGHTS_RESERVED.value
COURSE_SCALARS = (
    "title", "summary", "description", "external_url", "external_platform", "hosting",
    "level", "effort_hours_per_week", "duration_weeks", "licence",
)  # fmt: skip
RUN_SCALARS = ("start", "end", "enrolment_start", "enrolment_end", "pacing", "is_published")
_url = URLValidator(schemes=["http", "https"])


@dataclass
class Change:
    kind: str  # "course" or "session"
    key: str  # the course code, the session address
    action: str  # CREATED, UPDATED, UNCHANGED
    fields: list[str]
    where: str
    course: str = ""


@dataclass
class ImportPlan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
        for change in self.changes:
            counted[change.action] += 1
        return counted

    @property
    def writes(self) -> int:
        return sum(1 for change in self.changes if change.action != UNCHANGED)

    def as_json(self) -> dict[str, Any]:
        return {
            "changes": [asdict(change) for change in self.changes],
            "errors": [asdict(error) for error in self.errors],
            "counts": self.counts(),
        }


class ImportRefused(ServiceError):
    """The file has refused pieces: nothing was imported."""

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__(
            _("Importation refusée : %(count)s erreur(s), rien n'a été importé.")
            % {"count": len(plan.errors)},
            code="import_refused",
        )
        self.plan = plan


@dataclass
class _PlannedRun:
    record: RunRecord
    existing: CourseRun | None
    values: dict[str, Any]
    languages: list[Language]
    changed: list[str]


@dataclass
class _PlannedCourse:
    record: CourseRecord
    existing: Course | None
    values: dict[str, Any]
    owners: list[Institution]
    languages: list[Language]
    disciplines: list[Discipline]
    changed: list[str]
    runs: list[_PlannedRun]


class _Lookup:
    """The catalog's reference data, read once, found by code, slug, acronym or name."""

    def __init__(self) -> None:
        self.institutions: dict[str, Institution] = {}
        for institution in Institution.objects.order_by("-pk"):
            for name in (institution.name, institution.acronym, institution.slug):
                if name:
                    self.institutions[name.casefold()] = institution
        self.languages: dict[str, Language] = {}
        for language in Language.objects.order_by("-code"):
            for name in (language.name_en, language.name_fr, language.code):
                if name:
                    self.languages[name.casefold()] = language
        self.disciplines: dict[str, Discipline] = {}
        for discipline in Discipline.objects.order_by("-pk"):
            for name in (discipline.name_en, discipline.name_fr, discipline.slug):
                if name:
                    self.disciplines[name.casefold()] = discipline

    def language(self, name: str) -> Language | None:
        key = name.casefold()
        # Open edX writes regional codes (« fr-fr »): the catalog knows the language.
        return self.languages.get(key) or self.languages.get(key.replace("_", "-").split("-")[0])

    def find(
        self, kind: str, names: Sequence[str], where: str, errors: list[RowError]
    ) -> list[Any]:
        table: dict[str, Any] = getattr(self, kind)
        labels = {
            "institutions": _("établissement inconnu « %(name)s »."),
            "languages": _("langue inconnue « %(name)s »."),
            "disciplines": _("discipline inconnue « %(name)s »."),
        }
        found = []
        for name in names:
            item = self.language(name) if kind == "languages" else table.get(name.casefold())
            if item is None:
                errors.append(RowError(where, labels[kind] % {"name": name[:80]}))
            elif item not in found:
                found.append(item)
        if not names:
            missing = {
                "institutions": _("aucun établissement."),
                "languages": _("aucune langue."),
                "disciplines": _("aucune discipline."),
            }
            errors.append(RowError(where, missing[kind]))
        return found


def _check_url(value: str, where: str, label: str, errors: list[RowError]) -> None:
    try:
        _url(value)
    except ValidationError:
        errors.append(RowError(where, _("%(label)s : adresse invalide.") % {"label": label}))


def _duration_of(record: CourseRecord) -> int:
    for run in record.runs:
        if run.start and run.end:
            return max(1, math.ceil((run.end - run.start).days / 7))
    return DEFAULT_DURATION_WEEKS


def _plan_run(
    record: RunRecord, course: Course | None, lookup: _Lookup, errors: list[RowError],
    runs_by_link: dict[str, CourseRun],
) -> _PlannedRun | None:  # fmt: skip
    before = len(errors)
    _check_url(record.resource_link, record.where, _("session"), errors)
    if len(record.resource_link) > 500:
        errors.append(RowError(record.where, _("adresse de session trop longue.")))
    existing = runs_by_link.get(record.resource_link)
    if existing is not None and (course is None or existing.course_id != course.pk):
        errors.append(
            RowError(record.where, _("cette adresse est celle d'une session d'un autre cours."))
        )
    languages = (
        lookup.find("languages", record.languages, record.where, errors) if record.languages else []
    )
    start = record.start or (existing.start if existing else None)
    if start is None:
        errors.append(RowError(record.where, _("date de début manquante.")))
    enrolment_start = record.enrolment_start or start
    if start and record.end and record.end <= start:
        errors.append(RowError(record.where, _("la fin doit suivre le début.")))
    if enrolment_start and record.enrolment_end and record.enrolment_end <= enrolment_start:
        errors.append(
            RowError(record.where, _("la clôture des inscriptions doit suivre leur ouverture."))
        )
    if len(errors) > before:
        return None
    values = {
        "start": start, "end": record.end, "enrolment_start": enrolment_start,
        "enrolment_end": record.enrolment_end, "pacing": record.pacing,
        "is_published": record.is_published,
    }  # fmt: skip
    if existing is None:
        changed = [*values, "languages"] if languages else list(values)
    else:
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if record.languages and {lang.code for lang in languages} != {
            lang.code for lang in existing.languages.all()
        }:
            changed.append("languages")
    return _PlannedRun(record, existing, values, languages, changed)


def _plan_course(
    record: CourseRecord, lookup: _Lookup, errors: list[RowError],
    courses_by_code: dict[str, Course], runs_by_link: dict[str, CourseRun],
) -> _PlannedCourse | None:  # fmt: skip
    before = len(errors)
    where = record.where
    if len(record.code) > 40:
        errors.append(RowError(where, _("code de plus de 40 caractères.")))
    if len(record.title) > 255:
        errors.append(RowError(where, _("titre de plus de 255 caractères.")))
    if len(record.summary) > 500:
        errors.append(RowError(where, _("résumé de plus de 500 caractères.")))
    _check_url(record.external_url, where, _("lien"), errors)
    if not record.external_platform:
        errors.append(RowError(where, _("plateforme d'hébergement manquante.")))
    existing = courses_by_code.get(record.code)
    if existing is not None and not existing.is_hosted_elsewhere:
        errors.append(
            RowError(where, _("le code %(code)s est celui d'un cours hébergé sur Sankoré.")
                     % {"code": record.code})
        )  # fmt: skip
    owners = lookup.find("institutions", record.owners, where, errors)
    languages = lookup.find("languages", record.languages, where, errors)
    disciplines = lookup.find("disciplines", record.disciplines, where, errors)
    runs = [_plan_run(run, existing, lookup, errors, runs_by_link) for run in record.runs]
    if len(errors) > before:
        return None
    values: dict[str, Any] = {
        "title": record.title, "summary": record.summary, "description": record.description,
        "external_url": record.external_url, "external_platform": record.external_platform,
        "hosting": Hosting.EXTERNAL.value,
    }  # fmt: skip
    optional = {
        "level": (record.level, DEFAULT_LEVEL),
        "effort_hours_per_week": (record.effort_hours_per_week, DEFAULT_EFFORT),
        "duration_weeks": (record.duration_weeks, _duration_of(record)),
        "licence": (record.licence, DEFAULT_LICENCE),
    }
    for name, (given, default) in optional.items():
        if given is not None or existing is None:
            values[name] = given if given is not None else default
    if existing is None:
        changed = [*values, "owners", "languages", "disciplines"]
    else:
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        relations = {
            "owners": (owners, existing.owners.all()),
            "languages": (languages, existing.languages.all()),
            "disciplines": (disciplines, existing.disciplines.all()),
        }
        for name, (wanted, current) in relations.items():
            if {item.pk for item in wanted} != {item.pk for item in current}:
                changed.append(name)
    planned_runs = [run for run in runs if run is not None]
    return _PlannedCourse(
        record, existing, values, owners, languages, disciplines, changed, planned_runs
    )


def _plan(
    records: Sequence[CourseRecord], read_errors: Sequence[RowError]
) -> tuple[ImportPlan, list[_PlannedCourse]]:
    errors = list(read_errors)
    seen_codes: dict[str, str] = {}
    seen_links: dict[str, str] = {}
    for record in records:
        if record.code in seen_codes:
            errors.append(
                RowError(
                    record.where,
                    _("cours en double (déjà en %(where)s).") % {"where": seen_codes[record.code]},
                )
            )
        seen_codes.setdefault(record.code, record.where)
        for run in record.runs:
            if run.resource_link in seen_links:
                errors.append(
                    RowError(
                        run.where,
                        _("session en double (déjà en %(where)s).")
                        % {"where": seen_links[run.resource_link]},
                    )
                )
            seen_links.setdefault(run.resource_link, run.where)
    lookup = _Lookup()
    courses_by_code = {
        course.code: course
        for course in Course.objects.filter(code__in=list(seen_codes)).prefetch_related(
            "owners", "languages", "disciplines"
        )
    }
    runs_by_link = {
        run.resource_link: run
        for run in CourseRun.objects.filter(resource_link__in=list(seen_links)).prefetch_related(
            "languages"
        )
    }
    planned = [
        _plan_course(record, lookup, errors, courses_by_code, runs_by_link) for record in records
    ]
    plan = ImportPlan(errors=errors)
    kept = [item for item in planned if item is not None]
    for item in kept:
        action = CREATED if item.existing is None else (UPDATED if item.changed else UNCHANGED)
        plan.changes.append(
            Change("course", item.record.code, action, item.changed, item.record.where)
        )
        for session in item.runs:
            action = (
                CREATED if session.existing is None
                else (UPDATED if session.changed else UNCHANGED)
            )  # fmt: skip
            plan.changes.append(
                Change("session", session.record.resource_link, action, session.changed,
                       session.record.where, course=item.record.code)
            )  # fmt: skip
    return plan, kept


def import_plan(
    *, records: Sequence[CourseRecord], read_errors: Sequence[RowError] = ()
) -> ImportPlan:
    """The dry run: what the import would do; it writes nothing."""
    plan, _planned = _plan(records, read_errors)
    return plan


def import_apply(
    *,
    records: Sequence[CourseRecord],
    read_errors: Sequence[RowError] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """Apply an import in one transaction, planned again inside it (the catalog may have
    moved since the dry run); any refused piece refuses the whole file (ImportRefused)."""
    with transaction.atomic():
        # Lock the courses the file touches: two imports of the same course run one after the other.
        list(
            Course.objects.select_for_update()
            .filter(code__in=[r.code for r in records])
            .values_list("pk", flat=True)
        )
        plan, planned = _plan(records, read_errors)
        if plan.errors:
            raise ImportRefused(plan)
        done = 0
        for item in planned:
            course = _course_write(item)
            done += 1 if item.changed else 0
            for run in item.runs:
                if run.changed:
                    _run_write(run, course)
                    done += 1
            if progress:
                progress(done, plan.writes)
    return plan


def _course_write(item: _PlannedCourse) -> Course:
    relations: dict[str, Any] = {
        "owners": item.owners,
        "languages": item.languages,
        "disciplines": item.disciplines,
    }
    if item.existing is None:
        values: dict[str, Any] = dict(item.values)
        return catalog_services.course_create(
            code=item.record.code, is_published=True,
            title=values.pop("title"), summary=values.pop("summary"),
            level=values.pop("level"), effort_hours_per_week=values.pop("effort_hours_per_week"),
            duration_weeks=values.pop("duration_weeks"), licence=values.pop("licence"),
            **relations, **values,
        )  # fmt: skip
    if not item.changed:
        return item.existing
    fields: dict[str, Any] = {
        name: item.values[name] for name in item.changed if name in item.values
    }
    changed_relations = {name: value for name, value in relations.items() if name in item.changed}
    return catalog_services.course_update(course=item.existing, **fields, **changed_relations)


def _run_write(run: _PlannedRun, course: Course) -> CourseRun:
    if run.existing is None:
        return catalog_services.course_run_create(
            course=course, resource_link=run.record.resource_link, languages=run.languages,
            **run.values,
        )  # fmt: skip
    fields = {name: run.values[name] for name in run.changed if name in run.values}
    languages = run.languages if "languages" in run.changed else None
    return catalog_services.course_run_external_update(
        run=run.existing, languages=languages, **fields
    )
