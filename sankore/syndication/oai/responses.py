"""The response to each verb, streamed: the envelope, then one record at a time.

Everything that can end in an OAI error (arguments, token, first page) is settled before the
first byte, so errors are proper OAI-PMH error responses; the rest is a generator that writes
a record, yields it, and forgets it.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator, Mapping, Sequence

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sankore.catalog.selectors import (
    disciplines_with_public_courses,
    institutions_with_public_courses,
)
from sankore.syndication.oai import lom, oai_dc, records
from sankore.syndication.oai.metadata import course_facts
from sankore.syndication.oai.protocol import (
    METADATA_PREFIXES,
    ErrorCode,
    ListQuery,
    OaiError,
    OaiRequest,
    datestamp_format,
    list_query_parse,
    request_parse,
)
from sankore.syndication.oai.tokens import TOKEN_MAX_AGE, Position, token_issue, token_read
from sankore.syndication.oai.xml import XmlWriter

OAI = "http://www.openarchives.org/OAI/2.0/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
# Headers or records per page: a page stays small whatever the catalog's size.
PAGE_SIZES = {"ListRecords": 100, "ListIdentifiers": 500}
FORMATS = {
    oai_dc.PREFIX: (oai_dc.SCHEMA, oai_dc.NAMESPACE),
    lom.PREFIX: (lom.SCHEMA, lom.NAMESPACE),
}


def base_url() -> str:
    return f"{settings.SITE_URL}/oai"


def oai_respond(*, params: Mapping[str, Sequence[str]]) -> Iterator[str]:
    """The whole response to a request's parameters, as pieces of XML text."""
    now = timezone.now()
    try:
        request = request_parse(params=params)
    except OaiError as error:
        return _error_response(now, None, [error])
    try:
        body = VERB_HANDLERS[request.verb](request)
    except OaiError as error:
        return _error_response(now, request, [error])
    return _envelope(now, request, body)


def _head(now: datetime.datetime, request: OaiRequest | None) -> str:
    out = XmlWriter()
    out.start(
        "OAI-PMH",
        {
            "xmlns": OAI,
            "xmlns:xsi": XSI,
            "xsi:schemaLocation": f"{OAI} http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd",
        },
    )
    out.element("responseDate", datestamp_format(now))
    # After badVerb or badArgument, the request is echoed without its arguments.
    attrs = {"verb": request.verb, **request.arguments} if request else None
    out.element("request", base_url(), attrs)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + out.drain()


def _error_response(
    now: datetime.datetime, request: OaiRequest | None, errors: list[OaiError]
) -> Iterator[str]:
    if errors[0].code in (ErrorCode.BAD_VERB, ErrorCode.BAD_ARGUMENT):
        request = None
    yield _head(now, request)
    out = XmlWriter()
    for error in errors:
        out.element("error", error.message, {"code": error.code})
    out.end("OAI-PMH")
    yield out.drain()


def _envelope(now: datetime.datetime, request: OaiRequest, body: Iterator[str]) -> Iterator[str]:
    yield _head(now, request)
    yield from body
    yield "</OAI-PMH>"


# Verbs ------------------------------------------------------------------------------------


def _identify(request: OaiRequest) -> Iterator[str]:
    earliest = records.earliest_datestamp() or timezone.now()
    out = XmlWriter()
    out.start("Identify")
    out.element("repositoryName", settings.SITE_NAME)
    out.element("baseURL", base_url())
    out.element("protocolVersion", "2.0")
    out.element("adminEmail", _admin_email())
    out.element("earliestDatestamp", datestamp_format(earliest))
    out.element("deletedRecord", "persistent")
    out.element("granularity", "YYYY-MM-DDThh:mm:ssZ")
    out.element("compression", "gzip")
    out.end("Identify")
    return iter([out.drain()])


def _admin_email() -> str:
    configured = getattr(settings, "OAI_ADMIN_EMAIL", "") or settings.SERVER_EMAIL
    # SERVER_EMAIL may read "Name <address>": the protocol wants the bare address.
    return configured.rsplit("<", 1)[-1].rstrip(">").strip()


def _list_metadata_formats(request: OaiRequest) -> Iterator[str]:
    identifier = request.arguments.get("identifier")
    if identifier is not None:
        _item_or_error(identifier, with_metadata=False)  # every record has both formats
    out = XmlWriter()
    out.start("ListMetadataFormats")
    for prefix in METADATA_PREFIXES:
        schema, namespace = FORMATS[prefix]
        out.start("metadataFormat")
        out.element("metadataPrefix", prefix)
        out.element("schema", schema)
        out.element("metadataNamespace", namespace)
        out.end("metadataFormat")
    out.end("ListMetadataFormats")
    return iter([out.drain()])


def _list_sets(request: OaiRequest) -> Iterator[str]:
    if "resumptionToken" in request.arguments:
        # Sets come in one list: no token was ever issued for them.
        raise OaiError(ErrorCode.BAD_RESUMPTION_TOKEN, "Jeton de reprise invalide.")

    def body() -> Iterator[str]:
        out = XmlWriter()
        out.start("ListSets")
        for spec, name in (
            (records.INSTITUTION, _("Établissements")),
            (records.DISCIPLINE, _("Disciplines")),
        ):
            _set(out, spec, name)
        yield out.drain()
        for institution in (
            institutions_with_public_courses().only("slug", "name").iterator(chunk_size=500)
        ):
            label = _("Établissement : %(name)s") % {"name": institution.name}
            _set(out, f"{records.INSTITUTION}:{institution.slug}", label)
            yield out.drain()
        for discipline in disciplines_with_public_courses().iterator(chunk_size=500):
            label = _("Discipline : %(name)s") % {"name": discipline.name}
            _set(out, f"{records.DISCIPLINE}:{discipline.slug}", label)
            yield out.drain()
        out.end("ListSets")
        yield out.drain()

    return body()


def _set(out: XmlWriter, spec: str, name: str) -> None:
    out.start("set")
    out.element("setSpec", spec)
    out.element("setName", name)
    out.end("set")


def _item_or_error(identifier: str, *, with_metadata: bool) -> records.Item:
    slug = records.slug_of(identifier)
    item = records.item_get(slug=slug, with_metadata=with_metadata) if slug else None
    if item is None:
        raise OaiError(ErrorCode.ID_DOES_NOT_EXIST, f"Identifiant inconnu : {identifier}.")
    return item


def _get_record(request: OaiRequest) -> Iterator[str]:
    prefix = request.arguments["metadataPrefix"]
    if prefix not in METADATA_PREFIXES:
        raise OaiError(
            ErrorCode.CANNOT_DISSEMINATE_FORMAT, f"Format de métadonnées inconnu : {prefix}."
        )
    item = _item_or_error(request.arguments["identifier"], with_metadata=True)
    out = XmlWriter()
    out.start("GetRecord")
    _record(out, item, prefix)
    out.end("GetRecord")
    return iter([out.drain()])


def _header(out: XmlWriter, item: records.Item) -> None:
    out.start("header", {"status": "deleted"} if item.deleted else None)
    out.element("identifier", records.identifier_of(item.slug))
    out.element("datestamp", datestamp_format(item.datestamp))
    for spec in item.set_specs:
        out.element("setSpec", spec)
    out.end("header")


def _record(out: XmlWriter, item: records.Item, prefix: str) -> None:
    out.start("record")
    _header(out, item)
    if item.course is not None:
        facts = course_facts(item.course, item.links)
        out.start("metadata")
        if prefix == lom.PREFIX:
            lom.lom_write(out, item.course, facts)
        else:
            oai_dc.oai_dc_write(out, facts)
        out.end("metadata")
    out.end("record")


def _list(request: OaiRequest) -> Iterator[str]:
    token = request.arguments.get("resumptionToken")
    if token is not None:
        position = token_read(token=token, verb=request.verb)
    else:
        query = list_query_parse(request=request)
        position = Position(
            query=query, phase="courses", key=None, cursor=0, size=records.list_size(query)
        )
    query = position.query
    page_size = PAGE_SIZES[request.verb]
    items = records.list_items(
        query=query,
        phase=position.phase,
        after=position.key,
        limit=page_size + 1,  # one more tells whether another page follows
        with_metadata=request.verb == "ListRecords",
    )
    first = next(items, None)
    if first is None:
        raise OaiError(ErrorCode.NO_RECORDS_MATCH, "Aucun enregistrement ne correspond.")
    return _list_body(
        request.verb,
        query,
        position,
        itertools.chain([first], items),
        page_size,
        resumed=token is not None,
    )


def _list_body(
    verb: str,
    query: ListQuery,
    position: Position,
    items: Iterator[records.Item],
    page_size: int,
    *,
    resumed: bool,
) -> Iterator[str]:
    out = XmlWriter()
    out.start(verb)
    last: records.Item | None = None
    for sent, item in enumerate(items):
        if sent == page_size:
            assert last is not None
            following = Position(
                query=query,
                phase=last.phase,
                key=last.key,
                cursor=position.cursor + sent,
                size=position.size,
            )
            _token(out, token_issue(following), position)
            break
        if verb == "ListRecords":
            _record(out, item, query.prefix)
        else:
            _header(out, item)
        last = item
        yield out.drain()
    else:
        if resumed:  # the last page of a list sent in parts ends with an empty token
            _token(out, "", position)
    out.end(verb)
    yield out.drain()


def _token(out: XmlWriter, value: str, position: Position) -> None:
    attrs = {"cursor": str(position.cursor)}
    if position.size > 0:
        attrs["completeListSize"] = str(position.size)
    if value:
        attrs["expirationDate"] = datestamp_format(timezone.now() + TOKEN_MAX_AGE)
    out.element("resumptionToken", value, attrs)


VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list,
    "ListRecords": _list,
}
