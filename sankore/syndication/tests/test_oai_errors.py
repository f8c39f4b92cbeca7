"""Bad requests get the protocol's error codes — valid OAI-PMH responses, never a 500."""

from __future__ import annotations

import datetime

import pytest
from django.core import signing
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from sankore.catalog.tests.factories import CourseFactory
from sankore.syndication.oai import responses, tokens
from sankore.syndication.tests.conftest import (
    NS,
    OaiGet,
    assert_valid,
    error_codes,
    response_body,
    texts,
)

pytestmark = pytest.mark.django_db

ID = "oai:127.0.0.1:course/un-cours"


@pytest.fixture(autouse=True)
def course() -> None:
    CourseFactory(slug="un-cours")


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "Identify"]}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),  # metadataPrefix missing
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "lom"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-13-01"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "hier"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2025-03-01T10:00:00"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-01",
                "until": "2025-03-02T00:00:00Z",
            },
            "badArgument",  # granularities differ
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2025-03-02",
                "until": "2025-03-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
        ({"verb": "GetRecord", "identifier": ID}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {"verb": "GetRecord", "identifier": ID, "metadataPrefix": "marc21"},
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "identifier": "oai:ailleurs:course/x", "metadataPrefix": "lom"},
            "idDoesNotExist",
        ),
        (
            {"verb": "GetRecord", "identifier": ID + "-bis", "metadataPrefix": "lom"},
            "idDoesNotExist",
        ),
        ({"verb": "ListMetadataFormats", "identifier": "x"}, "idDoesNotExist"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "institution:inconnue"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2000-01-01"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "resumptionToken": "forgé"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "forgé"}, "badResumptionToken"),
        (
            {"verb": "ListRecords", "resumptionToken": "x", "metadataPrefix": "oai_dc"},
            "badArgument",
        ),
    ],
)
def test_error_codes(client: Client, params: dict[str, object], code: str) -> None:
    response = client.get("/oai", params)

    assert response.status_code == 200
    document = etree.fromstring(response_body(response))
    assert_valid(document)
    assert error_codes(document) == [code]
    request_attributes = document.xpath("/oai:OAI-PMH/oai:request", namespaces=NS)[0].attrib
    if code in ("badVerb", "badArgument"):
        assert dict(request_attributes) == {}  # only the base URL after these two
    else:
        assert request_attributes["verb"] == params["verb"]


def _first_token(oai: OaiGet, verb: str = "ListIdentifiers") -> str:
    document = oai(verb=verb, metadataPrefix="oai_dc")
    (token,) = texts(document, "//oai:resumptionToken")
    return token


@pytest.fixture
def paged(monkeypatch: pytest.MonkeyPatch) -> None:
    CourseFactory()
    monkeypatch.setitem(responses.PAGE_SIZES, "ListIdentifiers", 1)
    monkeypatch.setitem(responses.PAGE_SIZES, "ListRecords", 1)


def test_a_token_of_another_verb_is_refused(oai: OaiGet, paged: None) -> None:
    token = _first_token(oai, "ListIdentifiers")

    document = oai(verb="ListRecords", resumptionToken=token)

    assert error_codes(document) == ["badResumptionToken"]


def test_an_altered_token_is_refused(oai: OaiGet, paged: None) -> None:
    token = _first_token(oai)
    payload = signing.loads(token, salt="sankore.syndication.oai.resumption")
    payload["c"] = 0
    forged = signing.dumps(payload, salt="another salt")

    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")) == [
        "badResumptionToken"
    ]
    assert error_codes(oai(verb="ListIdentifiers", resumptionToken=forged)) == [
        "badResumptionToken"
    ]


def test_an_expired_token_is_refused(
    oai: OaiGet, paged: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = _first_token(oai)
    monkeypatch.setattr(tokens, "TOKEN_MAX_AGE", datetime.timedelta(seconds=-1))

    document = oai(verb="ListIdentifiers", resumptionToken=token)

    assert error_codes(document) == ["badResumptionToken"]
    assert texts(document, "//oai:error") == ["Jeton de reprise expiré."]


def test_a_token_combined_with_another_argument_is_a_bad_argument(oai: OaiGet, paged: None) -> None:
    token = _first_token(oai)

    document = oai(verb="ListIdentifiers", resumptionToken=token, set="discipline")

    assert error_codes(document) == ["badArgument"]


OAI_ARGUMENTS = ["verb", "metadataPrefix", "identifier", "from", "until", "set", "resumptionToken"]
VALUES = st.one_of(
    st.sampled_from(
        [
            "Identify",
            "ListRecords",
            "ListIdentifiers",
            "GetRecord",
            "ListSets",
            "ListMetadataFormats",
            "oai_dc",
            "lom",
            ID,
            "2025-01-01",
            "2025-01-01T00:00:00Z",
            "9999-12-31",
            "0000-00-00",
            "discipline",
            "institution:x",
        ]
    ),
    st.text(max_size=40).filter(lambda s: "\x00" not in s),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    params=st.dictionaries(
        st.one_of(
            st.sampled_from(OAI_ARGUMENTS),
            st.text(min_size=1, max_size=10).filter(lambda s: "\x00" not in s),
        ),
        st.one_of(VALUES, st.lists(VALUES, min_size=1, max_size=2)),
        max_size=5,
    ),
    method=st.sampled_from(["get", "post"]),
)
def test_any_parameters_get_a_valid_oai_response(
    client: Client, params: dict[str, object], method: str
) -> None:
    response = getattr(client, method)("/oai", params)

    assert response.status_code == 200
    document = etree.fromstring(response_body(response))
    assert document.tag == "{http://www.openarchives.org/OAI/2.0/}OAI-PMH"
    assert_valid(document)


def test_nul_bytes_are_refused_by_the_platform_before_the_endpoint(client: Client) -> None:
    """The platform's own rule (``RejectNulBytesMiddleware``): a 400, not an OAI answer."""
    response = client.get("/oai", {"verb": "Identify\x00"})

    assert response.status_code == 400
