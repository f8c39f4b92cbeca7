"""The synchronisation of a session of a course hosted elsewhere, pushed by its platform
(the body of Richie's course-run sync, plus the course code if the platform knows it)."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticError

from sankore.catalog import services as catalog_services
from sankore.catalog.models import Course, CourseRun, Hosting, Language, Pacing
from sankore.core.errors import ConflictError, NotFoundError, ServiceError
from sankore.federation.models import SyncNonce

# Richie's values; « course_only » shows the session on its course page like the others
# (Sankoré's search lists courses, not sessions).
VISIBILITY_PUBLISHED = {"course_and_search": True, "course_only": True, "hidden": False}
# Open edX course keys in an LMS address: course-v1:ORG+NUMBER+RUN → the course code ORG+NUMBER.
OPENEDX_KEY = re.compile(r"course-v1:([^+/]+)\+([^+/]+)\+[^/?#]+")
NONCE_KEPT = datetime.timedelta(minutes=15)


class SyncPayload(BaseModel):
    model_config = ConfigDict(extra="ignore")

    resource_link: str = Field(min_length=1, max_length=500)
    course: str | None = Field(default=None, max_length=40)
    start: datetime.datetime | None = None
    end: datetime.datetime | None = None
    enrollment_start: datetime.datetime | None = None
    enrollment_end: datetime.datetime | None = None
    languages: list[str] = Field(max_length=20)
    enrollment_count: int | None = Field(default=None, ge=0, le=100_000_000)
    catalog_visibility: Literal["course_and_search", "course_only", "hidden"] | None = None


class SyncPayloadError(ServiceError):
    status_code = 400


@dataclass(frozen=True)
class SyncResult:
    run: CourseRun
    created: bool
    changed: list[str]


def sync_payload_parse(*, data: Any) -> SyncPayload:
    """The body as a payload, or SyncPayloadError naming the refused fields."""
    try:
        return SyncPayload.model_validate(data)
    except PydanticError as error:
        names = dict.fromkeys(
            ".".join(str(part) for part in e["loc"]) or "?" for e in error.errors()
        )
        raise SyncPayloadError(
            _("Champs manquants ou invalides : %(names)s.") % {"names": ", ".join(names)},
            code="invalid_payload",
        ) from None


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, datetime.UTC)
    return moment


def _languages(codes: list[str]) -> list[Language]:
    known = {language.code.lower(): language for language in Language.objects.all()}
    found, unknown = [], []
    for code in codes:
        key = code.strip().lower().replace("_", "-")
        language = known.get(key) or known.get(key.split("-")[0])
        if language is None:
            unknown.append(code[:20])
        elif language not in found:
            found.append(language)
    if unknown:
        raise SyncPayloadError(
            _("Langues inconnues : %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_language",
        )
    return found


def _external_course(payload: SyncPayload) -> Course:
    courses = Course.objects.filter(hosting=Hosting.EXTERNAL)
    codes = [payload.course] if payload.course else []
    key = OPENEDX_KEY.search(payload.resource_link)
    if key:
        codes.append(f"{key.group(1)}+{key.group(2)}")
    for code in codes:
        course = courses.filter(code=code).first()
        if course is not None:
            return course
    raise NotFoundError(
        _("Aucun cours hébergé ailleurs ne correspond à cette session."), code="unknown_course"
    )


def _nonce_use(nonce: str) -> None:
    """Record a nonce, or refuse it if already used (the unique constraint decides, on every
    node at once); nonces older than any acceptable timestamp are pruned."""
    now = timezone.now()
    SyncNonce.objects.filter(received_at__lt=now - NONCE_KEPT).delete()
    try:
        with transaction.atomic():
            SyncNonce.objects.create(nonce=nonce, received_at=now)
    except IntegrityError:
        raise ConflictError(_("Requête déjà reçue (nonce réutilisé)."), code="replayed") from None


@transaction.atomic
def course_run_sync(*, data: Any, nonce: str) -> SyncResult:
    """Create or update the session a platform describes; the same body twice gives the same
    state. Any refusal leaves everything as it was, the nonce included."""
    if nonce:
        _nonce_use(nonce)
    payload = sync_payload_parse(data=data)
    languages = _languages(payload.languages)
    run = (
        CourseRun.objects.select_related("course")
        .filter(resource_link=payload.resource_link, course__hosting=Hosting.EXTERNAL)
        .first()
    )
    if run is not None and payload.course and run.course.code != payload.course:
        raise SyncPayloadError(
            _("Cette session appartient à un autre cours (%(code)s).") % {"code": run.course.code},
            code="other_course",
        )
    fields: dict[str, Any] = {}
    given = payload.model_fields_set
    for name, target in (
        ("start", "start"), ("end", "end"),
        ("enrollment_start", "enrolment_start"), ("enrollment_end", "enrolment_end"),
    ):  # fmt: skip
        if name in given:
            fields[target] = _aware(getattr(payload, name))
    if payload.catalog_visibility is not None:
        fields["is_published"] = VISIBILITY_PUBLISHED[payload.catalog_visibility]
    try:
        if run is None:
            return _run_create(payload, fields, languages)
        return _run_update(run, payload, fields, languages)
    except ValidationError as error:
        raise SyncPayloadError(
            _("Dates incohérentes : %(detail)s") % {"detail": " ".join(error.messages)},
            code="invalid_dates",
        ) from None


def _run_create(
    payload: SyncPayload, fields: dict[str, Any], languages: list[Language]
) -> SyncResult:
    course = _external_course(payload)
    start = fields.pop("start", None)
    if start is None:
        raise SyncPayloadError(_("« start » est requis pour créer une session."), code="no_start")
    fields["enrolment_start"] = fields.get("enrolment_start") or start
    try:
        with transaction.atomic():
            run = catalog_services.course_run_create(
                course=course, start=start, pacing=Pacing.INSTRUCTOR_LED,
                resource_link=payload.resource_link, **fields,
            )  # fmt: skip
    except IntegrityError:
        # The same session created by a concurrent request: refused, the platform retries.
        raise ConflictError(_("Cette session vient d'être créée."), code="link_taken") from None
    catalog_services.course_run_external_update(
        run=run, languages=languages, enrolment_count=payload.enrollment_count
    )
    return SyncResult(run=run, created=True, changed=[])


def _run_update(
    run: CourseRun, payload: SyncPayload, fields: dict[str, Any], languages: list[Language]
) -> SyncResult:
    if any(name in fields and fields[name] is None for name in ("start", "enrolment_start")):
        raise SyncPayloadError(
            _("Le début de la session et l'ouverture des inscriptions ne s'effacent pas."),
            code="no_start",
        )
    changed = [name for name, value in fields.items() if getattr(run, name) != value]
    if {lang.code for lang in languages} != set(run.languages.values_list("code", flat=True)):
        changed.append("languages")
    count = payload.enrollment_count
    if count is not None and count != run.enrolment_count:
        changed.append("enrolment_count")
    if changed:  # the same body again writes nothing
        catalog_services.course_run_external_update(
            run=run,
            languages=languages if "languages" in changed else None,
            enrolment_count=count if "enrolment_count" in changed else None,
            **{name: fields[name] for name in changed if name in fields},
        )
    return SyncResult(run=run, created=False, changed=changed)
