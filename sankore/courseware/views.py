"""The authoring studio, for the course's own team (and its institutions' staff, and
programme staff): outline editing, blocks, files, preview, publication, re-runs.

Every view loads the session through ``_editable_run`` first: anyone else gets a 403 (or
the login page), and an object id from another session is a 404.
"""

from __future__ import annotations

import tempfile
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from sankore.accounts.models import User
from sankore.catalog.models import CourseRun
from sankore.catalog.permissions import (
    course_queryset_editable_by,
    institution_queryset_creating_courses_for,
)
from sankore.core.errors import ServiceError
from sankore.courseware import selectors, services
from sankore.courseware.forms import (
    AssetUploadForm,
    ChapterForm,
    PackageImportForm,
    RerunForm,
    UnitCreateForm,
    UnitForm,
)
from sankore.courseware.models import AssetKind, AssetStatus, Block, Chapter, Unit
from sankore.courseware.package_export import package_export
from sankore.courseware.registry import block_type_of, block_types
from sankore.courseware.studio_access import studio_view


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _to_session(run: CourseRun, anchor: str = "") -> HttpResponse:
    return redirect(f"{_session_url(run)}{'#' + anchor if anchor else ''}")


def _session_url(run: CourseRun) -> str:
    from django.urls import reverse

    return reverse("studio:session", args=[run.pk])


def _refused(request: HttpRequest, error: ServiceError | ValidationError) -> None:
    if isinstance(error, ServiceError):
        messages.error(request, error.message)
    else:
        messages.error(request, " ".join(error.messages))


@require_safe
@login_required
def studio_home(request: HttpRequest) -> HttpResponse:
    courses = (
        course_queryset_editable_by(user=request.user).prefetch_related("runs").order_by("title")
    )
    return render(request, "courseware/studio/home.html", {"courses": courses})


@require_safe
@studio_view
def session(request: HttpRequest, run: CourseRun) -> HttpResponse:
    return render(
        request,
        "courseware/studio/session.html",
        {
            "run": run,
            "course": run.course,
            "chapters": selectors.draft_chapters(course_run=run),
            "draft": selectors.draft_state(course_run=run),
            "publication": selectors.publication_current(course_run_id=run.pk),
            "chapter_form": ChapterForm(),
            "unit_form": UnitCreateForm(),
            "rerun_form": RerunForm(),
        },
    )


def _chapter(run: CourseRun, chapter_id: int) -> Chapter:
    return get_object_or_404(Chapter, pk=chapter_id, course_run=run)


def _unit(run: CourseRun, unit_id: int) -> Unit:
    return get_object_or_404(Unit.objects.select_related("chapter"), pk=unit_id, course_run=run)


def _block(run: CourseRun, block_id: int) -> Block:
    return get_object_or_404(Block.objects.select_related("unit"), pk=block_id, course_run=run)


@require_POST
@studio_view
def chapter_create(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = ChapterForm(request.POST)
    if form.is_valid():
        try:
            chapter = services.chapter_create(course_run=run, **form.cleaned_data)
        except (ServiceError, ValidationError) as error:
            _refused(request, error)
        else:
            messages.success(request, gettext("Chapitre ajouté."))
            return _to_session(run, f"chapitre-{chapter.pk}")
    else:
        messages.error(request, _form_errors(form))
    return _to_session(run)


@require_POST
@studio_view
def chapter_update(request: HttpRequest, run: CourseRun, chapter_id: int) -> HttpResponse:
    chapter = _chapter(run, chapter_id)
    form = ChapterForm(request.POST)
    if form.is_valid():
        try:
            services.chapter_update(chapter=chapter, **form.cleaned_data)
        except (ServiceError, ValidationError) as error:
            _refused(request, error)
        else:
            messages.success(request, gettext("Chapitre enregistré."))
    else:
        messages.error(request, _form_errors(form))
    return _to_session(run, f"chapitre-{chapter.pk}")


def _direction(request: HttpRequest) -> int:
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        raise Http404
    return -1 if direction == "up" else 1


@require_POST
@studio_view
def chapter_move(request: HttpRequest, run: CourseRun, chapter_id: int) -> HttpResponse:
    chapter = _chapter(run, chapter_id)
    services.chapter_move(chapter=chapter, position=chapter.position + _direction(request))
    return _to_session(run, f"chapitre-{chapter.pk}")


@require_POST
@studio_view
def chapter_delete(request: HttpRequest, run: CourseRun, chapter_id: int) -> HttpResponse:
    chapter = _chapter(run, chapter_id)
    services.chapter_delete(chapter=chapter)
    messages.success(
        request, gettext("Chapitre « %(title)s » supprimé.") % {"title": chapter.title}
    )
    return _to_session(run)


@require_POST
@studio_view
def unit_create(request: HttpRequest, run: CourseRun, chapter_id: int) -> HttpResponse:
    chapter = _chapter(run, chapter_id)
    form = UnitCreateForm(request.POST)
    if form.is_valid():
        unit = services.unit_create(chapter=chapter, title=form.cleaned_data["title"])
        messages.success(request, gettext("Séquence ajoutée."))
        return redirect("studio:unit", run.pk, unit.pk)
    messages.error(request, _form_errors(form))
    return _to_session(run, f"chapitre-{chapter.pk}")


@require_POST
@studio_view
def unit_move(request: HttpRequest, run: CourseRun, unit_id: int) -> HttpResponse:
    """Up and down through the whole outline: past the top of its chapter, a unit goes to
    the end of the chapter before; past the bottom, to the start of the next."""
    unit = _unit(run, unit_id)
    services.unit_step(unit=unit, step=_direction(request))
    return _to_session(run, f"sequence-{unit.pk}")


@require_POST
@studio_view
def unit_delete(request: HttpRequest, run: CourseRun, unit_id: int) -> HttpResponse:
    unit = _unit(run, unit_id)
    services.unit_delete(unit=unit)
    messages.success(request, gettext("Séquence « %(title)s » supprimée.") % {"title": unit.title})
    return _to_session(run)


@studio_view
def unit(request: HttpRequest, run: CourseRun, unit_id: int) -> HttpResponse:
    unit = _unit(run, unit_id)
    if request.method == "POST":
        form = UnitForm(request.POST)
        if form.is_valid():
            try:
                services.unit_update(unit=unit, **form.cleaned_data)
            except (ServiceError, ValidationError) as error:
                _refused(request, error)
            else:
                messages.success(request, gettext("Séquence enregistrée."))
                return redirect("studio:unit", run.pk, unit.pk)
    else:
        form = UnitForm(
            initial={
                "title": unit.title,
                "duration_minutes": unit.duration_minutes,
                "objectives": unit.objectives,
                "is_free_preview": unit.is_free_preview,
                "due_at": unit.due_at,
                "due_days_after_enrolment": unit.due_days_after_enrolment,
                "pool_size": unit.pool_size,
                "is_supervised_exam": unit.is_supervised_exam,
                "exam_opens_at": unit.exam_opens_at,
                "exam_closes_at": unit.exam_closes_at,
                "exam_access_code": unit.exam_access_code,
            }
        )
    return render(
        request,
        "courseware/studio/unit.html",
        {
            "run": run,
            "course": run.course,
            "unit": unit,
            "form": form,
            "blocks": list(unit.blocks.order_by("position", "pk")),
            "block_types": block_types(),
        },
    )


def _block_form(
    kind: str, run: CourseRun, data: Any = None, files: Any = None, initial: Any = None
) -> Any:
    block_type = block_type_of(kind)
    if block_type is None:
        raise Http404
    form = block_type.form_class()(data=data, files=files, initial=initial)
    # Choice fields list the course's own files of the matching kind.
    if "video" in form.fields:
        videos = selectors.assets_of_course(course_id=run.course_id, kind=AssetKind.VIDEO)
        cast(forms.ChoiceField, form.fields["video"]).choices = [("", "—")] + [
            (asset.key, f"{asset.original_name} ({asset.get_status_display()})") for asset in videos
        ]
    if "file" in form.fields:
        cast(forms.ChoiceField, form.fields["file"]).choices = [("", "—")] + [
            (asset.key, asset.original_name)
            for asset in selectors.assets_of_course(course_id=run.course_id)
            if asset.kind in (AssetKind.FILE, AssetKind.IMAGE)
        ]
    return form


def _data_from_form(
    request: HttpRequest, run: CourseRun, kind: str, form: Any, previous: dict[str, Any]
) -> dict[str, Any]:
    """The block's data from its form, storing any file uploaded with it first."""
    data = {name: value for name, value in form.cleaned_data.items() if name not in ("title",)}
    upload = data.pop("upload", None)
    caption_file = data.pop("caption_file", None)
    caption_language = data.pop("caption_language", "")
    if kind == "video":
        data["captions"] = dict(previous.get("captions", {}))
        for language in request.POST.getlist("remove_caption"):
            data["captions"].pop(language, None)
        if upload:
            data["video"] = services.asset_create(
                course=run.course, kind=AssetKind.VIDEO, upload=upload, user=_user(request)
            ).key
        if caption_file:
            if not caption_language:
                raise services.AssetError(
                    gettext("Indiquez la langue des sous-titres."), code="caption_language"
                )
            data["captions"][caption_language] = services.asset_create(
                course=run.course, kind=AssetKind.CAPTION, upload=caption_file, user=_user(request)
            ).key
    elif kind == "resource" and upload:
        data["file"] = services.asset_create(
            course=run.course, kind=AssetKind.FILE, upload=upload, user=_user(request)
        ).key
    return data


@studio_view
def block_create(request: HttpRequest, run: CourseRun, unit_id: int) -> HttpResponse:
    unit = _unit(run, unit_id)
    kind = request.GET.get("type") or request.POST.get("type") or ""
    form = _block_form(kind, run, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = _data_from_form(request, run, kind, form, {})
                block = services.block_create(
                    unit=unit, kind=kind, data=data, title=form.cleaned_data.get("title", "")
                )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Activité ajoutée."))
            return redirect(f"{_unit_url(run, unit)}#activite-{block.pk}")
    return render(
        request,
        "courseware/studio/block_form.html",
        {"run": run, "course": run.course, "unit": unit, "form": form, "kind": kind,
         "block_type": block_type_of(kind), "block": None},
    )  # fmt: skip


def _unit_url(run: CourseRun, unit: Unit) -> str:
    from django.urls import reverse

    return reverse("studio:unit", args=[run.pk, unit.pk])


@studio_view
def block_update(request: HttpRequest, run: CourseRun, block_id: int) -> HttpResponse:
    block = _block(run, block_id)
    block_type = block_type_of(block.kind)
    if block_type is None:
        raise Http404
    initial = {"title": block.title, **block_type.initial(block.data)}
    form = _block_form(block.kind, run, request.POST or None, request.FILES or None, initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                data = _data_from_form(request, run, block.kind, form, block.data)
                services.block_update(
                    block=block, data=data, title=form.cleaned_data.get("title", "")
                )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, gettext("Activité enregistrée."))
            return redirect(f"{_unit_url(run, block.unit)}#activite-{block.pk}")
    captions = {}
    if block.kind == "video":
        keys = dict(block.data.get("captions", {}))
        by_key = {
            a.key: a
            for a in selectors.assets_of_course(
                course_id=run.course_id, kind=AssetKind.CAPTION
            ).filter(key__in=keys.values())
        }
        captions = {language: by_key.get(key) for language, key in keys.items()}
    return render(
        request,
        "courseware/studio/block_form.html",
        {"run": run, "course": run.course, "unit": block.unit, "form": form, "kind": block.kind,
         "block_type": block_type, "block": block, "captions": captions},
    )  # fmt: skip


@require_POST
@studio_view
def block_move(request: HttpRequest, run: CourseRun, block_id: int) -> HttpResponse:
    block = _block(run, block_id)
    services.block_move(block=block, position=block.position + _direction(request))
    return redirect(f"{_unit_url(run, block.unit)}#activite-{block.pk}")


@require_POST
@studio_view
def block_delete(request: HttpRequest, run: CourseRun, block_id: int) -> HttpResponse:
    block = _block(run, block_id)
    services.block_delete(block=block)
    messages.success(request, gettext("Activité supprimée."))
    return redirect(_unit_url(run, block.unit))


@studio_view
def assets(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = AssetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            asset = services.asset_create(
                course=run.course,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["upload"],
                user=_user(request),
            )
        except ServiceError as error:
            form.add_error("upload", error.message)
        else:
            if asset.status == AssetStatus.PENDING:
                messages.success(
                    request, gettext("Fichier envoyé : il est en cours de traitement.")
                )
            else:
                messages.success(request, gettext("Fichier envoyé."))
            return redirect("studio:assets", run.pk)
    return render(
        request,
        "courseware/studio/assets.html",
        {
            "run": run,
            "course": run.course,
            "form": form,
            "assets": selectors.assets_of_course(course_id=run.course_id),
        },
    )


@require_POST
@studio_view
def publish(request: HttpRequest, run: CourseRun) -> HttpResponse:
    try:
        publication = services.courseware_publish(course_run=run, user=_user(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Version %(version)s publiée : les apprenants la voient dès maintenant.")
            % {"version": publication.version},
        )
    return _to_session(run)


@require_POST
@studio_view
def rerun(request: HttpRequest, run: CourseRun) -> HttpResponse:
    form = RerunForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _to_session(run, "nouvelle-session")
    try:
        target = services.course_run_rerun(source=run, **form.cleaned_data)
    except (ServiceError, ValidationError) as error:
        _refused(request, error)
        return _to_session(run, "nouvelle-session")
    messages.success(
        request,
        gettext(
            "Nouvelle session créée avec une copie du contenu. Publiez-la quand elle est prête."
        ),
    )
    return redirect("studio:session", target.pk)


def _form_errors(form: Any) -> str:
    return " ".join(
        f"{form.fields[name].label if name in form.fields else ''} : {error}".lstrip(" :")
        for name, errors in form.errors.items()
        for error in errors
    )


@require_safe
@studio_view
def package_download(request: HttpRequest, run: CourseRun) -> HttpResponseBase:
    """The session's draft as a course package (zip), to keep, share or import elsewhere."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115
    try:
        package_export(course_run=run, target=spool)
    except ServiceError as error:
        spool.close()
        messages.error(request, error.message)
        return _to_session(run)
    spool.seek(0)
    name = f"{slugify(run.course.code)}-session-{run.pk}.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")


@login_required
def package_import(request: HttpRequest) -> HttpResponse:
    owners = institution_queryset_creating_courses_for(user=request.user)
    courses = course_queryset_editable_by(user=request.user).order_by("title")
    if not owners.exists() and not courses.exists():
        raise PermissionDenied
    form = PackageImportForm(
        request.POST or None, request.FILES or None, owners=owners, courses=courses
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["owner"]:
                run = services.package_import_as_course(
                    file=data["package"], owner=data["owner"], start=data["start"],
                    enrolment_start=data["enrolment_start"], user=_user(request),
                )  # fmt: skip
            else:
                run = services.package_import_as_session(
                    file=data["package"], course=data["course"], start=data["start"],
                    enrolment_start=data["enrolment_start"], user=_user(request),
                )  # fmt: skip
        except ServiceError as error:
            form.add_error("package", error.message)
        except ValidationError as error:
            form.add_error(None, " ".join(error.messages))
        else:
            messages.success(
                request,
                gettext("Paquet importé. Vérifiez le contenu, puis publiez-le."),
            )
            return redirect("studio:session", run.pk)
    return render(request, "courseware/studio/import.html", {"form": form})
