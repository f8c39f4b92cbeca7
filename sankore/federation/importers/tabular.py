"""A spreadsheet (CSV): one line per session of a course, or one line for a course without
session; the lines of one course repeat its columns. UTF-8 (with or without BOM) or
Windows-1252; columns separated by « ; » or « , »; headers in any case, with or without
accents. Several values in one cell are separated by « | ».

Columns (* required): code*, titre*, résumé*, description, établissement*, langue*,
discipline*, niveau, effort (heures par semaine), durée (semaines), licence, lien* (le cours
sur sa plateforme), plateforme, session (adresse de la session), début, fin,
inscription_début, inscription_fin, rythme, publiée (oui/non).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.translation import gettext as _

from sankore.federation.importers.records import (
    CourseRecord,
    RowError,
    RunRecord,
    ValueRefused,
    normalise,
    parse_decimal,
    parse_level,
    parse_licence,
    parse_moment,
    parse_pacing,
    parse_weeks,
    split_list,
)

REQUIRED = ("code", "titre", "resume", "etablissement", "langue", "discipline", "lien")
KNOWN = frozenset(
    {
        *REQUIRED,
        "description", "niveau", "effort", "duree", "licence", "plateforme", "session",
        "debut", "fin", "inscription_debut", "inscription_fin", "rythme", "publiee",
    }
)  # fmt: skip
COURSE_COLUMNS = (
    "titre", "resume", "description", "etablissement", "langue", "discipline", "niveau",
    "effort", "duree", "licence", "lien", "plateforme",
)  # fmt: skip
YES = {"oui", "o", "yes", "y", "1", "vrai", "true"}
NO = {"non", "n", "no", "0", "faux", "false"}


def decode(content: bytes) -> str:
    """UTF-8 if the bytes are UTF-8, otherwise Windows-1252 (Excel's French default)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def _run(row: dict[str, str], where: str, course: CourseRecord) -> RunRecord | None:
    link = row.get("session", "")
    dates = ("debut", "fin", "inscription_debut", "inscription_fin")
    if not link:
        if any(row.get(name) for name in dates):
            raise ValueRefused(_("des dates sans adresse de session (colonne « session »)."))
        return None
    moments = {name: parse_moment(row.get(name, ""), label=name) for name in dates}
    published = normalise(row.get("publiee", ""))
    if published and published not in YES | NO:
        raise ValueRefused(_("publiée : oui ou non."))
    return RunRecord(
        where=where,
        resource_link=link,
        start=moments["debut"],
        end=moments["fin"],
        enrolment_start=moments["inscription_debut"],
        enrolment_end=moments["inscription_fin"],
        pacing=parse_pacing(row.get("rythme", "")),
        is_published=published not in NO,
        languages=course.languages,
    )


def _course(row: dict[str, str], where: str, platform: str) -> CourseRecord:
    missing = [name for name in REQUIRED if not row.get(name)]
    if missing:
        raise ValueRefused(_("colonnes vides : %(columns)s.") % {"columns": ", ".join(missing)})
    return CourseRecord(
        where=where,
        code=row["code"],
        title=row["titre"],
        summary=row["resume"],
        description=row.get("description", ""),
        external_url=row["lien"],
        external_platform=row.get("plateforme") or platform,
        owners=split_list(row["etablissement"]),
        languages=split_list(row["langue"]),
        disciplines=split_list(row["discipline"]),
        level=parse_level(row.get("niveau", "")),
        effort_hours_per_week=parse_decimal(row.get("effort", ""), label="effort"),
        duration_weeks=parse_weeks(row.get("duree", ""), label="durée"),
        licence=parse_licence(row.get("licence", "")),
    )


def _same_course(first: CourseRecord, other: CourseRecord) -> list[str]:
    compared: dict[str, Any] = {
        "titre": "title", "resume": "summary", "description": "description",
        "etablissement": "owners", "langue": "languages", "discipline": "disciplines",
        "niveau": "level", "effort": "effort_hours_per_week", "duree": "duration_weeks",
        "licence": "licence", "lien": "external_url", "plateforme": "external_platform",
    }  # fmt: skip
    return [
        column for column, name in compared.items()
        if getattr(first, name) != getattr(other, name)
    ]  # fmt: skip


def csv_read(*, content: bytes, platform: str) -> tuple[list[CourseRecord], list[RowError]]:
    """The courses of a spreadsheet, and the lines that could not be read (by number)."""
    text = decode(content)
    if not text.strip():
        return [], [RowError(_("ligne 1"), _("le fichier est vide."))]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        header = [normalise(name) for name in next(reader)]
    except csv.Error as error:
        return [], [RowError(_("ligne 1"), str(error))]
    errors: list[RowError] = []
    unknown = [name for name in header if name and name not in KNOWN]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing:
        message = _("en-têtes inconnus : %(unknown)s ; manquants : %(missing)s.") % {
            "unknown": ", ".join(unknown) or "—",
            "missing": ", ".join(missing) or "—",
        }
        return [], [RowError(_("ligne 1"), message)]
    courses: dict[str, CourseRecord] = {}
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            errors.append(RowError(_("ligne %(n)s") % {"n": reader.line_num}, str(error)))
            continue
        where = _("ligne %(n)s") % {"n": reader.line_num}
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            errors.append(
                RowError(
                    where,
                    _("%(found)s colonnes au lieu de %(expected)s.")
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        row = {name: cell.strip() for name, cell in zip(header, cells, strict=True) if name}
        try:
            course = _course(row, where, platform)
            run = _run(row, where, course)
        except ValueRefused as error:
            errors.append(RowError(where, str(error)))
            continue
        known = courses.get(course.code)
        if known is None:
            courses[course.code] = known = course
        else:
            differing = _same_course(known, course)
            if differing:
                errors.append(
                    RowError(
                        where,
                        _("le cours %(code)s diffère de sa %(first)s : %(columns)s.")
                        % {
                            "code": course.code,
                            "first": known.where,
                            "columns": ", ".join(differing),
                        },
                    )
                )
                continue
        if run is not None:
            known.runs.append(run)
    return list(courses.values()), errors
