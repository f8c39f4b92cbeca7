"""OAI-PMH verbs over a small catalog: what each answers, exactly, and valid against the schemas."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from lxml import etree

from sankore.catalog import services
from sankore.catalog.models import Course
from sankore.catalog.permissions import course_queryset_visible_to
from sankore.catalog.selectors import course_queryset_public
from sankore.catalog.tests.factories import (
    CourseFactory,
    DisciplineFactory,
    LanguageFactory,
    TeacherFactory,
)
from sankore.institutions.services import institution_update
from sankore.institutions.tests.factories import InstitutionFactory
from sankore.syndication.tests.conftest import NS, OaiGet, assert_valid, error_codes, texts

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1"


def oai_id(slug: str) -> str:
    return f"oai:{HOST}:course/{slug}"


def at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, hour, 0, 0, tzinfo=datetime.UTC)


@pytest.fixture
def catalog() -> dict[str, Any]:
    fr = LanguageFactory(code="fr", name_fr="Français", name_en="French")
    en = LanguageFactory(code="en", name_fr="Anglais", name_en="English")
    biology = DisciplineFactory(slug="biologie", name_fr="Biologie", name_en="Biology")
    law = DisciplineFactory(slug="droit", name_fr="Droit", name_en="Law")
    DisciplineFactory(slug="vide", name_fr="Sans cours")
    ucad = InstitutionFactory(slug="ucad", name="Université Cheikh Anta Diop")
    lyon = InstitutionFactory(slug="lyon", name="Université de Lyon")
    InstitutionFactory(slug="sans-cours", name="Université sans cours")
    teacher = TeacherFactory(full_name="Awa Ndiaye")
    bio = CourseFactory(
        slug="biologie-cellulaire",
        code="BIO-101",
        title="Biologie cellulaire",
        summary="La cellule, <b>unité</b> du vivant.",
        description="Six semaines pour comprendre la cellule.",
        languages=[fr, en],
        disciplines=[biology],
        owners=[ucad],
        partners=[lyon],
        teachers=[teacher],
        effort_hours_per_week="2.5",
        duration_weeks=5,
    )
    law_course = CourseFactory(
        slug="droit-environnement",
        title="Droit de l'environnement",
        languages=[fr],
        disciplines=[law],
        owners=[lyon],
        licence="tous-droits-reserves",
    )
    draft = CourseFactory(
        slug="brouillon", languages=[fr], disciplines=[law], owners=[ucad], is_published=False
    )
    Course.objects.filter(pk=bio.pk).update(updated_at=at(2))
    Course.objects.filter(pk=law_course.pk).update(updated_at=at(4))
    Course.objects.filter(pk=draft.pk).update(updated_at=at(3))
    return {"bio": bio, "law": law_course, "draft": draft, "ucad": ucad, "lyon": lyon}


def header_ids(document: etree._Element) -> list[str]:
    return texts(document, "//oai:header/oai:identifier")


def test_the_public_selector_lists_what_an_anonymous_visitor_sees(catalog: dict[str, Any]) -> None:
    assert (
        set(course_queryset_public())
        == set(course_queryset_visible_to(user=AnonymousUser()))
        == {catalog["bio"], catalog["law"]}
    )


def test_identify_describes_the_repository(oai: OaiGet, catalog: dict[str, Any]) -> None:
    document = oai(verb="Identify")

    identify = "/oai:OAI-PMH/oai:Identify/oai:"
    assert texts(document, identify + "repositoryName") == ["Sankoré"]
    assert texts(document, identify + "baseURL") == ["http://127.0.0.1:8000/oai"]
    assert texts(document, identify + "protocolVersion") == ["2.0"]
    assert texts(document, identify + "adminEmail") == ["no-reply@sankore.localhost"]
    # The draft's datestamp (the 3rd) is earlier than the law course's but never public.
    assert texts(document, identify + "earliestDatestamp") == ["2025-03-02T12:00:00Z"]
    assert texts(document, identify + "deletedRecord") == ["persistent"]
    assert texts(document, identify + "granularity") == ["YYYY-MM-DDThh:mm:ssZ"]
    assert texts(document, "/oai:OAI-PMH/oai:request/@verb") == ["Identify"]


def test_post_is_answered_as_get(oai: OaiGet, catalog: dict[str, Any]) -> None:
    document = oai("post", verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert header_ids(document) == [oai_id("biologie-cellulaire"), oai_id("droit-environnement")]


def test_list_metadata_formats(oai: OaiGet, catalog: dict[str, Any]) -> None:
    every = oai(verb="ListMetadataFormats")
    of_record = oai(verb="ListMetadataFormats", identifier=oai_id("biologie-cellulaire"))

    for document in (every, of_record):
        assert texts(document, "//oai:metadataPrefix") == ["oai_dc", "lom"]
        assert texts(document, "//oai:metadataNamespace") == [NS["oai_dc"], NS["lom"]]


def test_list_sets_names_institutions_and_disciplines_with_public_courses(
    oai: OaiGet, catalog: dict[str, Any]
) -> None:
    document = oai(verb="ListSets")

    assert texts(document, "//oai:set/oai:setSpec") == [
        "institution",
        "discipline",
        "institution:lyon",
        "institution:ucad",
        "discipline:biologie",
        "discipline:droit",
    ]
    assert texts(document, "//oai:set/oai:setName") == [
        "Établissements",
        "Disciplines",
        "Établissement : Université de Lyon",
        "Établissement : Université Cheikh Anta Diop",
        "Discipline : Biologie",
        "Discipline : Droit",
    ]


def test_list_identifiers_gives_public_courses_by_datestamp_with_their_sets(
    oai: OaiGet, catalog: dict[str, Any]
) -> None:
    document = oai(verb="ListIdentifiers", metadataPrefix="lom")

    assert header_ids(document) == [oai_id("biologie-cellulaire"), oai_id("droit-environnement")]
    assert texts(document, "//oai:header/oai:datestamp") == [
        "2025-03-02T12:00:00Z",
        "2025-03-04T12:00:00Z",
    ]
    assert texts(document, "//oai:header[1]/oai:setSpec") == [
        "institution:lyon",
        "institution:ucad",
        "discipline:biologie",
    ]
    assert document.xpath("//oai:resumptionToken", namespaces=NS) == []


def test_get_record_in_dublin_core(oai: OaiGet, catalog: dict[str, Any]) -> None:
    document = oai(
        verb="GetRecord", identifier=oai_id("biologie-cellulaire"), metadataPrefix="oai_dc"
    )

    dc = "//oai:metadata/oai_dc:dc/dc:"
    assert texts(document, dc + "title") == ["Biologie cellulaire"]
    assert texts(document, dc + "title/@xml:lang") == ["fr"]  # French first among its languages
    assert texts(document, dc + "creator") == ["Université Cheikh Anta Diop", "Awa Ndiaye"]
    assert texts(document, dc + "contributor") == ["Université de Lyon"]
    assert texts(document, dc + "subject") == ["Biologie"]
    assert texts(document, dc + "description") == [
        "La cellule, unité du vivant.\n\nSix semaines pour comprendre la cellule."
    ]
    assert texts(document, dc + "publisher") == ["Sankoré"]
    assert texts(document, dc + "type") == ["InteractiveResource"]
    assert texts(document, dc + "format") == ["text/html"]
    assert texts(document, dc + "identifier") == [
        "http://127.0.0.1:8000/cours/biologie-cellulaire/"
    ]
    assert texts(document, dc + "language") == ["en", "fr"]
    assert texts(document, dc + "rights") == [
        "CC BY-SA 4.0",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ]


def test_get_record_in_lom(oai: OaiGet, catalog: dict[str, Any]) -> None:
    document = oai(verb="GetRecord", identifier=oai_id("biologie-cellulaire"), metadataPrefix="lom")

    lom = "//oai:metadata/lom:lom/lom:"
    assert texts(document, lom + "general/lom:identifier/lom:entry") == [
        "http://127.0.0.1:8000/cours/biologie-cellulaire/",
        "BIO-101",
    ]
    assert texts(document, lom + "general/lom:title/lom:string") == ["Biologie cellulaire"]
    assert texts(document, lom + "general/lom:language") == ["en", "fr"]
    assert texts(document, lom + "general/lom:keyword/lom:string") == ["Biologie"]
    assert texts(document, lom + "general/lomfr:documentType/lomfr:value") == [
        "ressource interactive"
    ]
    assert texts(document, lom + "lifeCycle/lom:contribute/lom:role/lom:value") == [
        "author",
        "content provider",
        "publisher",
    ]
    entities = texts(document, lom + "lifeCycle/lom:contribute[1]/lom:entity")
    assert [line for e in entities for line in e.splitlines() if line.startswith("FN:")] == [
        "FN:Université Cheikh Anta Diop",
        "FN:Awa Ndiaye",
    ]
    # 2.5 hours a week for 5 weeks.
    assert texts(document, lom + "educational/lom:typicalLearningTime/lom:duration") == ["PT12H30M"]
    assert texts(document, lom + "classification/lom:taxonPath/lom:taxon/lom:id") == ["biologie"]


def test_the_schemas_do_check_the_metadata(oai: OaiGet, catalog: dict[str, Any]) -> None:
    """The validation is not vacuous: a LOM value outside its vocabulary is refused."""
    document = oai(verb="GetRecord", identifier=oai_id("biologie-cellulaire"), metadataPrefix="lom")
    (difficulty,) = document.xpath("//lom:difficulty/lom:value", namespaces=NS)
    difficulty.text = "redoutable"

    with pytest.raises(AssertionError, match="difficulty"):
        assert_valid(document)


def test_an_unpublished_course_is_never_disseminated(oai: OaiGet, catalog: dict[str, Any]) -> None:
    record = oai(verb="GetRecord", identifier=oai_id("brouillon"), metadataPrefix="oai_dc")
    in_law = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", set="discipline:droit")

    assert error_codes(record) == ["idDoesNotExist"]
    assert header_ids(in_law) == [oai_id("droit-environnement")]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"from": "2025-03-03"}, ["droit-environnement"]),
        ({"until": "2025-03-02"}, ["biologie-cellulaire"]),  # the whole day
        ({"until": "2025-03-02T12:00:00Z"}, ["biologie-cellulaire"]),  # inclusive
        ({"until": "2025-03-02T11:59:59Z"}, []),
        ({"from": "2025-03-02T12:00:01Z"}, ["droit-environnement"]),
        (
            {"from": "2025-03-01", "until": "2025-03-04"},
            ["biologie-cellulaire", "droit-environnement"],
        ),
        ({"set": "institution:ucad"}, ["biologie-cellulaire"]),
        ({"set": "institution:lyon"}, ["biologie-cellulaire", "droit-environnement"]),  # partner
        ({"set": "institution"}, ["biologie-cellulaire", "droit-environnement"]),
        ({"set": "discipline:biologie"}, ["biologie-cellulaire"]),
        ({"set": "discipline"}, ["biologie-cellulaire", "droit-environnement"]),
        ({"set": "discipline:vide"}, []),
        ({"set": "langue:fr"}, []),
        ({"set": "institution:lyon", "until": "2025-03-03"}, ["biologie-cellulaire"]),
    ],
)
def test_selective_harvesting(
    oai: OaiGet, catalog: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    document = oai(verb="ListRecords", metadataPrefix="oai_dc", **params)

    if expected:
        assert header_ids(document) == [oai_id(slug) for slug in expected]
    else:
        assert error_codes(document) == ["noRecordsMatch"]


@pytest.mark.parametrize(
    ("rename", "expected"),
    [
        # The university's new name is in the records of its course and of its partner's.
        (lambda c: institution_update(institution=c["lyon"], name="Université Lumière Lyon 2"),
         ["biologie-cellulaire", "droit-environnement"]),
        (lambda c: services.discipline_update(
            discipline=c["bio"].disciplines.get(), name_fr="Biologie moléculaire"
        ), ["biologie-cellulaire"]),
        (lambda c: services.teacher_update(
            teacher=c["bio"].teachers.get(), full_name="Awa Ndiaye Diop"
        ), ["biologie-cellulaire"]),
        # Its description is not in the records: nothing to harvest again.
        (lambda c: institution_update(institution=c["lyon"], description="Autre texte."), []),
    ],
)  # fmt: skip
def test_a_renamed_institution_discipline_or_teacher_brings_its_records_back(
    oai: OaiGet, catalog: dict[str, Any], rename: Any, expected: list[str]
) -> None:
    """A harvester asking for what changed since its last visit gets the records that now
    read the new name."""
    last_visit = timezone.now().replace(microsecond=0)
    rename(catalog)

    document = oai(
        verb="ListIdentifiers",
        metadataPrefix="oai_dc",
        **{"from": f"{last_visit:%Y-%m-%dT%H:%M:%SZ}"},
    )

    if expected:
        assert sorted(header_ids(document)) == [oai_id(slug) for slug in expected]
    else:
        assert error_codes(document) == ["noRecordsMatch"]


class TestDeletedRecords:
    def test_an_unpublished_course_is_a_deleted_record_from_then_on(
        self, oai: OaiGet, catalog: dict[str, Any]
    ) -> None:
        before = timezone.now().replace(microsecond=0)
        services.course_update(course=catalog["bio"], is_published=False)

        listed = oai(verb="ListRecords", metadataPrefix="lom")
        record = oai(
            verb="GetRecord", identifier=oai_id("biologie-cellulaire"), metadataPrefix="lom"
        )
        in_set = oai(verb="ListIdentifiers", metadataPrefix="lom", set="institution:ucad")

        assert header_ids(listed) == [oai_id("droit-environnement"), oai_id("biologie-cellulaire")]
        assert texts(listed, "//oai:record[2]/oai:header/@status") == ["deleted"]
        assert listed.xpath("//oai:record[2]/oai:metadata", namespaces=NS) == []
        assert texts(record, "//oai:header/@status") == ["deleted"]
        (stamp,) = texts(record, "//oai:header/oai:datestamp")
        assert datetime.datetime.fromisoformat(stamp) >= before
        assert texts(record, "//oai:header/oai:setSpec") == [
            "institution:lyon",
            "institution:ucad",
            "discipline:biologie",
        ]
        assert header_ids(in_set) == [oai_id("biologie-cellulaire")]
        assert texts(in_set, "//oai:header/@status") == ["deleted"]

    def test_a_deleted_course_stays_a_deleted_record(
        self, oai: OaiGet, catalog: dict[str, Any]
    ) -> None:
        services.course_delete(course=catalog["law"])

        record = oai(
            verb="GetRecord", identifier=oai_id("droit-environnement"), metadataPrefix="oai_dc"
        )
        formats = oai(verb="ListMetadataFormats", identifier=oai_id("droit-environnement"))

        assert texts(record, "//oai:header/@status") == ["deleted"]
        assert texts(record, "//oai:header/oai:setSpec") == [
            "institution:lyon",
            "discipline:droit",
        ]
        assert texts(formats, "//oai:metadataPrefix") == ["oai_dc", "lom"]

    def test_a_new_slug_leaves_the_old_identifier_deleted(
        self, oai: OaiGet, catalog: dict[str, Any]
    ) -> None:
        services.course_update(course=catalog["law"], slug="droit-de-l-environnement")

        document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")

        assert header_ids(document) == [
            oai_id("biologie-cellulaire"),
            oai_id("droit-de-l-environnement"),
            oai_id("droit-environnement"),
        ]
        assert texts(document, "//oai:header/@status") == ["deleted"]

    def test_a_course_published_again_is_a_live_record_again(
        self, oai: OaiGet, catalog: dict[str, Any]
    ) -> None:
        services.course_update(course=catalog["bio"], is_published=False)
        services.course_update(course=catalog["bio"], is_published=True)

        document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")

        assert header_ids(document) == [
            oai_id("droit-environnement"),
            oai_id("biologie-cellulaire"),
        ]
        assert document.xpath("//oai:header[@status]", namespaces=NS) == []

    def test_a_draft_deleted_was_never_public_and_leaves_nothing(
        self, oai: OaiGet, catalog: dict[str, Any]
    ) -> None:
        services.course_delete(course=catalog["draft"])

        document = oai(verb="GetRecord", identifier=oai_id("brouillon"), metadataPrefix="oai_dc")

        assert error_codes(document) == ["idDoesNotExist"]
