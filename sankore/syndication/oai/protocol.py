"""OAI-PMH requests: the verbs, their arguments, and the protocol's error conditions."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

METADATA_PREFIXES = ("oai_dc", "lom")
# Our datestamps are seconds, so both of the protocol's granularities are accepted.
_DAY = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
_SECOND = re.compile(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
# The schema's patterns for these arguments: a value outside them is an illegal argument.
_PATTERNS = {
    "metadataPrefix": re.compile(r"\A[A-Za-z0-9\-_.!~*'()]+\Z"),
    "set": re.compile(r"\A[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z"),
}


class ErrorCode(StrEnum):
    BAD_ARGUMENT = "badArgument"
    BAD_RESUMPTION_TOKEN = "badResumptionToken"  # noqa: S105 — an error code, not a secret
    BAD_VERB = "badVerb"
    CANNOT_DISSEMINATE_FORMAT = "cannotDisseminateFormat"
    ID_DOES_NOT_EXIST = "idDoesNotExist"
    NO_RECORDS_MATCH = "noRecordsMatch"
    NO_METADATA_FORMATS = "noMetadataFormats"
    NO_SET_HIERARCHY = "noSetHierarchy"


class OaiError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class VerbArguments:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None


_LIST = VerbArguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS: dict[str, VerbArguments] = {
    "Identify": VerbArguments(),
    "ListMetadataFormats": VerbArguments(optional=frozenset({"identifier"})),
    "ListSets": VerbArguments(exclusive="resumptionToken"),
    "ListIdentifiers": _LIST,
    "ListRecords": _LIST,
    "GetRecord": VerbArguments(required=frozenset({"identifier", "metadataPrefix"})),
}


@dataclass(frozen=True)
class OaiRequest:
    verb: str
    arguments: dict[str, str]


def request_parse(*, params: Mapping[str, Sequence[str]]) -> OaiRequest:
    """The verb and its arguments, or the error the protocol names for them."""
    verbs = params.get("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError(
            ErrorCode.BAD_VERB,
            "Le verbe est absent, répété ou inconnu."
            if len(verbs) != 1
            else f"Verbe inconnu : {verbs[0]}.",
        )
    verb = verbs[0]
    spec = VERBS[verb]
    arguments: dict[str, str] = {}
    for name, values in params.items():
        if name == "verb":
            continue
        if len(values) != 1:
            raise OaiError(ErrorCode.BAD_ARGUMENT, f"Argument répété : {name}.")
        if name not in spec.required | spec.optional and name != spec.exclusive:
            raise OaiError(ErrorCode.BAD_ARGUMENT, f"Argument non permis pour {verb} : {name}.")
        pattern = _PATTERNS.get(name)
        if pattern and not pattern.match(values[0]):
            raise OaiError(ErrorCode.BAD_ARGUMENT, f"Valeur non permise pour {name}.")
        arguments[name] = values[0]
    if spec.exclusive and spec.exclusive in arguments:
        if len(arguments) > 1:
            raise OaiError(
                ErrorCode.BAD_ARGUMENT,
                f"{spec.exclusive} ne se combine avec aucun autre argument.",
            )
        return OaiRequest(verb=verb, arguments=arguments)
    missing = sorted(spec.required - arguments.keys())
    if missing:
        raise OaiError(ErrorCode.BAD_ARGUMENT, f"Argument requis absent : {', '.join(missing)}.")
    return OaiRequest(verb=verb, arguments=arguments)


@dataclass(frozen=True)
class ListQuery:
    """A selective harvest: its format, set and date bounds, as the harvester wrote them."""

    verb: str
    prefix: str
    set_spec: str | None = None
    from_: str | None = None
    until: str | None = None

    def as_list(self) -> list[str | None]:
        return [self.verb, self.prefix, self.set_spec, self.from_, self.until]

    @classmethod
    def from_list(cls, values: list[str | None]) -> ListQuery:
        verb, prefix, set_spec, from_, until = values
        if not isinstance(verb, str) or not isinstance(prefix, str):
            raise ValueError("malformed query")
        return cls(verb=verb, prefix=prefix, set_spec=set_spec, from_=from_, until=until)

    @property
    def lower(self) -> datetime.datetime | None:
        """The first instant harvested (inclusive)."""
        return datestamp_parse(self.from_) if self.from_ else None

    @property
    def upper(self) -> datetime.datetime | None:
        """The first instant no longer harvested: ``until`` is inclusive of its whole day or
        second, as our datestamps are shown to the second."""
        if not self.until:
            return None
        moment = datestamp_parse(self.until)
        step = (
            datetime.timedelta(days=1) if _DAY.match(self.until) else datetime.timedelta(seconds=1)
        )
        return moment + step


def datestamp_parse(value: str) -> datetime.datetime:
    if _DAY.match(value):
        parsed = datetime.datetime.strptime(value, "%Y-%m-%d")
    elif _SECOND.match(value):
        parsed = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    else:
        raise ValueError(value)
    return parsed.replace(tzinfo=datetime.UTC)


def list_query_parse(*, request: OaiRequest) -> ListQuery:
    """A ListIdentifiers or ListRecords request without a token: checked dates and format."""
    args = request.arguments
    from_, until = args.get("from"), args.get("until")
    try:
        lower = datestamp_parse(from_) if from_ is not None else None
        upper = datestamp_parse(until) if until is not None else None
    except (ValueError, OverflowError):
        raise OaiError(
            ErrorCode.BAD_ARGUMENT,
            "Date invalide : attendue sous la forme AAAA-MM-JJ ou AAAA-MM-JJThh:mm:ssZ.",
        ) from None
    if from_ is not None and until is not None:
        if len(from_) != len(until):
            raise OaiError(ErrorCode.BAD_ARGUMENT, "from et until n'ont pas la même granularité.")
        if lower and upper and lower > upper:
            raise OaiError(ErrorCode.BAD_ARGUMENT, "from est postérieur à until.")
    prefix = args["metadataPrefix"]
    if prefix not in METADATA_PREFIXES:
        raise OaiError(
            ErrorCode.CANNOT_DISSEMINATE_FORMAT, f"Format de métadonnées inconnu : {prefix}."
        )
    return ListQuery(
        verb=request.verb, prefix=prefix, set_spec=args.get("set"), from_=from_, until=until
    )


def datestamp_format(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
