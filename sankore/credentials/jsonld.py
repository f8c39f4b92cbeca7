"""JSON-LD for Data Integrity proofs: an offline document loader and RDFC-1.0 canonicalisation
that refuses what would silently escape the signature.

A signature covers the canonical RDF of a credential, not its JSON. A JSON key that no
context defines is dropped at expansion, so it would be shown to a reader yet signed by
nobody; the canonicaliser refuses such a document instead (the "safe mode" of other
implementations).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pyld import jsonld
from pyld.canon import URDNA2015

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"

# URL -> vendored file: the only documents the platform ever loads.
CONTEXT_FILES: Mapping[str, str] = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
}

# RDFC-1.0 (§4.4 "Hash N-Degree Quads") is exponential on crafted blank-node graphs; the spec
# asks implementations to bound it. Our credentials need a handful of calls.
HASH_N_DEGREE_BUDGET = 200

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


class CanonicalisationError(ValueError):
    """The document cannot be canonicalised safely (undefined term, unknown context…)."""


@functools.cache
def contexts_vendored() -> Mapping[str, Any]:
    return {
        url: json.loads((CONTEXTS_DIR / name).read_text(encoding="utf-8"))
        for url, name in CONTEXT_FILES.items()
    }


class OfflineDocumentLoader:
    """A pyld document loader serving only the given documents: never the network."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self.documents = dict(documents)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            document = self.documents[url]
        except KeyError:
            raise jsonld.JsonLdError(
                f"Context not vendored, refused: {url}",
                "jsonld.LoadDocumentError",
                code="loading remote context failed",
            ) from None
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": document,
        }


@functools.cache
def document_loader() -> OfflineDocumentLoader:
    return OfflineDocumentLoader(contexts_vendored())


class _BudgetedURDNA2015(URDNA2015):
    def __init__(self, budget: int) -> None:
        super().__init__()
        self.budget = budget

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise CanonicalisationError("Too many blank nodes to canonicalise")
        return super().hash_n_degree_quads(id_, issuer)


def _property_drop_refuse(expanded_property: str | None) -> None:
    raise CanonicalisationError(f"Term not defined by the contexts: {expanded_property!r}")


def _iris_check(node: Any) -> None:
    """Refuse relative IRIs left after expansion: RDF conversion drops them silently."""
    if isinstance(node, list):
        for item in node:
            _iris_check(item)
    elif isinstance(node, dict):
        if "@value" in node:
            return
        types = node.get("@type", [])
        for iri in [node["@id"]] if "@id" in node else []:
            if not (iri.startswith("_:") or _ABSOLUTE_IRI.match(iri)):
                raise CanonicalisationError(f"Relative identifier: {iri!r}")
        for iri in types if isinstance(types, list) else [types]:
            if not _ABSOLUTE_IRI.match(iri):
                raise CanonicalisationError(f"Type not defined by the contexts: {iri!r}")
        for key, value in node.items():
            if key not in ("@id", "@type"):
                _iris_check(value)


def document_canonicalise(
    document: Mapping[str, Any], *, loader: OfflineDocumentLoader | None = None
) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document.

    Raises CanonicalisationError when a term, type or identifier would be lost in expansion,
    when a context is not vendored, or when the blank-node graph is too costly.
    """
    # base None: pyld would otherwise resolve relative IRIs against http://example.org/base/
    # where other implementations leave them relative (and drop them): refuse them instead.
    options = {"documentLoader": loader or document_loader(), "base": None}
    try:
        expanded = jsonld.JsonLdProcessor(on_property_dropped=_property_drop_refuse).expand(
            dict(document), options
        )
        _iris_check(expanded)
        dataset = jsonld.JsonLdProcessor().to_rdf(expanded, options)
        nquads: str = _BudgetedURDNA2015(HASH_N_DEGREE_BUDGET).main(
            dataset, {"format": "application/n-quads"}
        )
    except jsonld.JsonLdError as error:
        # pyld wraps the handler's error in its own: give that one back.
        cause: BaseException | None = error
        while cause is not None and not isinstance(cause, CanonicalisationError):
            cause = cause.__cause__
        if cause is not None:
            raise cause from None
        raise CanonicalisationError(str(error.args[0])) from error
    return nquads
