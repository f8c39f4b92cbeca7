"""``lom``: IEEE LOM with the French LOMFR profile (NF Z 76-040), as ScoLOMFR 2.1's schemas
define it. Vocabulary values are the LOMv1.0 and LOMFRv1.0 ones those schemas accept."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings

from sankore.catalog.models import Course, Level
from sankore.syndication.oai.metadata import CourseFacts
from sankore.syndication.oai.xml import XmlWriter

PREFIX = "lom"
NAMESPACE = "http://ltsc.ieee.org/xsd/LOM"
LOMFR = "http://www.lom-fr.fr/xsd/LOMFR"
SCHEMA = "http://ltsc.ieee.org/xsd/lomv1.0/lom.xsd"

DIFFICULTY = {Level.INTRODUCTORY: "easy", Level.INTERMEDIATE: "medium", Level.ADVANCED: "difficult"}


def lom_write(out: XmlWriter, course: Course, facts: CourseFacts) -> None:
    out.start(
        "lom",
        {
            "xmlns": NAMESPACE,
            "xmlns:lomfr": LOMFR,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{NAMESPACE} {SCHEMA}",
        },
    )
    _general(out, course, facts)
    _life_cycle(out, course, facts)
    _technical(out, facts)
    _educational(out, course, facts)
    _rights(out, facts)
    _classification(out, facts)
    out.end("lom")


def _lang_string(out: XmlWriter, tag: str, text: str, language: str) -> None:
    out.start(tag)
    out.element("string", text, {"language": language})
    out.end(tag)


def _vocabulary(out: XmlWriter, tag: str, value: str, source: str = "LOMv1.0") -> None:
    prefix = "lomfr:" if tag.startswith("lomfr:") else ""
    out.start(tag)
    out.element(f"{prefix}source", source)
    out.element(f"{prefix}value", value)
    out.end(tag)


def _general(out: XmlWriter, course: Course, facts: CourseFacts) -> None:
    out.start("general")
    out.start("identifier")
    out.element("catalog", "URI")
    out.element("entry", facts.url)
    out.end("identifier")
    out.start("identifier")
    out.element("catalog", settings.SITE_NAME)
    out.element("entry", course.code)
    out.end("identifier")
    _lang_string(out, "title", facts.title, facts.language)
    for code in facts.languages:
        out.element("language", code)
    description = "\n\n".join(text for text in (facts.summary, facts.description) if text)
    if description:
        _lang_string(out, "description", description, facts.language)
    for _slug, name in facts.disciplines:
        _lang_string(out, "keyword", name, facts.language)
    _vocabulary(out, "structure", "hierarchical")
    _vocabulary(out, "aggregationLevel", "3")
    _vocabulary(out, "lomfr:documentType", "ressource interactive", source="LOMFRv1.0")
    out.end("general")


def _vcard(*, name: str, organisation: bool) -> str:
    value = name.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", " ")
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"N:{value};;;;", f"FN:{value}"]
    if organisation:
        lines.append(f"ORG:{value}")
    lines.append("END:VCARD")
    return "\n".join(lines)


def _contribute(out: XmlWriter, role: str, entities: list[str], *, when: str | None) -> None:
    out.start("contribute")
    _vocabulary(out, "role", role)
    for entity in entities:
        out.element("entity", entity)
    if when:
        out.start("date")
        out.element("dateTime", when)
        out.end("date")
    out.end("contribute")


def _life_cycle(out: XmlWriter, course: Course, facts: CourseFacts) -> None:
    out.start("lifeCycle")
    _vocabulary(out, "status", "final")
    authors = [
        *(_vcard(name=name, organisation=True) for name in facts.owners),
        *(_vcard(name=name, organisation=False) for name in facts.teachers),
    ]
    if authors:
        _contribute(out, "author", authors, when=facts.created)
    if facts.partners:
        _contribute(
            out,
            "content provider",
            [_vcard(name=name, organisation=True) for name in facts.partners],
            when=None,
        )
    _contribute(
        out,
        "publisher",
        [_vcard(name=settings.SITE_NAME, organisation=True)],
        when=course.updated_at.astimezone(datetime.UTC).date().isoformat(),
    )
    out.end("lifeCycle")


def _technical(out: XmlWriter, facts: CourseFacts) -> None:
    out.start("technical")
    out.element("format", "text/html")
    out.element("location", facts.url)
    out.end("technical")


def _duration(hours: Decimal) -> str:
    minutes = int(hours * 60)
    whole, rest = divmod(minutes, 60)
    return f"PT{whole}H{rest}M" if rest else f"PT{whole}H"


def _educational(out: XmlWriter, course: Course, facts: CourseFacts) -> None:
    out.start("educational")
    _vocabulary(out, "interactivityType", "mixed")
    _vocabulary(out, "learningResourceType", "cours / présentation", source="LOMFRv1.0")
    _vocabulary(out, "intendedEndUserRole", "learner")
    _vocabulary(out, "context", "higher education")
    _vocabulary(out, "difficulty", DIFFICULTY.get(Level(course.level), "medium"))
    out.start("typicalLearningTime")
    out.element("duration", _duration(course.total_effort_hours))
    out.end("typicalLearningTime")
    for code in facts.languages:
        out.element("language", code)
    _vocabulary(out, "lomfr:activity", "apprendre", source="LOMFRv1.0")
    out.end("educational")


def _rights(out: XmlWriter, facts: CourseFacts) -> None:
    out.start("rights")
    _vocabulary(out, "copyrightAndOtherRestrictions", "yes")
    text = (
        f"{facts.licence_label} — {facts.licence_url}" if facts.licence_url else facts.licence_label
    )
    _lang_string(out, "description", text, "fr")
    out.end("rights")


def _classification(out: XmlWriter, facts: CourseFacts) -> None:
    if not facts.disciplines:
        return
    out.start("classification")
    _vocabulary(out, "purpose", "discipline")
    for slug, name in facts.disciplines:
        out.start("taxonPath")
        _lang_string(out, "source", f"{settings.SITE_NAME} — disciplines", "fr")
        out.start("taxon")
        out.element("id", slug)
        _lang_string(out, "entry", name, facts.language)
        out.end("taxon")
        out.end("taxonPath")
    out.end("classification")
