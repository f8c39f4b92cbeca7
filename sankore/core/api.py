"""What every endpoint of the public JSON API shares: errors, pagination, CORS, the docs page.

- Every error is JSON ``{"detail": "<readable text>"}``: a refused service call keeps its status
  and message, an unknown object is a 404, malformed parameters (ninja's own 422) a 400, a
  wrong method a 405, an unknown path under the API a 404.
- The API only reads public data, so it is open to every origin (``*``, never credentials) and
  answers CORS preflight requests itself.
- The docs page is served by the platform, from the OpenAPI schema: no third-party script.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    JsonResponse,
)
from django.template import engines
from django.urls import URLPattern, URLResolver, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import DocsBase
from pydantic import BaseModel

from sankore.core.errors import ServiceError

T = TypeVar("T")

MAX_PAGE = 10_000
READ_METHODS = ("GET", "HEAD", "OPTIONS")
_INTEGER = re.compile(r"[0-9]{1,9}")


# Response schemas are plain pydantic models: ninja's Schema adds a validator per object (to
# read Django models), which costs milliseconds on a page of nested results built as dicts.


class ErrorOut(BaseModel):
    detail: str


class ApiParamsError(ServiceError):
    """A query parameter of the API was refused (400)."""


# --- Pagination ------------------------------------------------------------------------------


class PageOut(BaseModel, Generic[T]):
    count: int
    next: str | None
    previous: str | None
    results: list[T]


def _integer_param(
    request: HttpRequest, name: str, *, default: int, high: int, message: Any
) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if _INTEGER.fullmatch(raw) and 1 <= int(raw) <= high:
        return int(raw)
    raise ApiParamsError(message % {"max": high}, code=f"invalid_{name}")


def page_params(request: HttpRequest) -> tuple[int, int]:
    """``page`` and ``page_size`` of a list request, or an ApiParamsError."""
    page = _integer_param(
        request,
        "page",
        default=1,
        high=MAX_PAGE,
        message=_("Le numéro de page doit être un nombre entier de 1 à %(max)s."),
    )
    page_size = _integer_param(
        request,
        "page_size",
        default=settings.API_PAGE_SIZE_DEFAULT,
        high=settings.API_PAGE_SIZE_MAX,
        message=_("La taille de page doit être un nombre entier de 1 à %(max)s."),
    )
    return page, page_size


def page_links(
    request: HttpRequest, *, page: int, page_size: int, count: int
) -> tuple[str | None, str | None]:
    """Absolute URLs of the next and previous pages, keeping every other parameter."""
    num_pages = max(1, math.ceil(count / page_size))

    def link(number: int) -> str:
        query = request.GET.copy()
        query["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = link(page + 1) if page < num_pages else None
    preceding = link(min(page - 1, num_pages)) if page > 1 else None
    return following, preceding


def page_of(
    request: HttpRequest, items: QuerySet[Any], *, serialize: Callable[[list[Any]], list[T]]
) -> dict[str, Any]:
    """One page of ``items`` in the ``{count, next, previous, results}`` shape: two queries, and
    whatever ``serialize`` does once with the whole page."""
    page, page_size = page_params(request)
    count = items.count()
    start = (page - 1) * page_size
    rows = list(items[start : start + page_size]) if start < count else []
    following, preceding = page_links(request, page=page, page_size=page_size, count=count)
    return {"count": count, "next": following, "previous": preceding, "results": serialize(rows)}


# --- Errors ----------------------------------------------------------------------------------


def _error(status: int, detail: Any, **headers: str) -> JsonResponse:
    response = JsonResponse({"detail": str(detail)}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _validation_detail(exc: ValidationError) -> str:
    """ninja's 422 errors as one sentence: which parameter, and what was expected."""
    names = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())[1:] if not isinstance(part, int)]
        names.append(".".join(location) or "?")
    return gettext("Paramètre invalide : %(names)s.") % {"names": ", ".join(dict.fromkeys(names))}


def register_error_handlers(api: NinjaAPI) -> None:
    """Every error the API answers is JSON with a readable ``detail``."""

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        return _error(exc.status_code, exc.message)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return _error(400, _validation_detail(exc))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _error(404, gettext("Ressource introuvable."))


# --- A read-only API open to every origin ----------------------------------------------------


def _with_cors(response: HttpResponseBase) -> HttpResponseBase:
    # Public, read-only data: any site may read it, never with the user's credentials.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _preflight(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ", ".join(READ_METHODS)
    response["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
    requested = request.headers.get("Access-Control-Request-Headers")
    if requested:
        response["Access-Control-Allow-Headers"] = requested
    response["Access-Control-Max-Age"] = "86400"
    return response


def read_only_cors(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Open a read-only view to every origin; answer preflights; say 405 in JSON."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "OPTIONS":
            return _with_cors(_preflight(request))
        is_head = request.method == "HEAD"
        if is_head:
            # Monitors and link checkers probe with HEAD: answer as GET, without the body.
            request.method = "GET"
        response = view(request, *args, **kwargs)
        if is_head and isinstance(response, HttpResponse):
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        if isinstance(response, HttpResponseNotAllowed):
            response = _error(
                405,
                gettext("Méthode %(method)s non autorisée : cette adresse se lit avec GET.")
                % {"method": request.method},
                Allow=", ".join(READ_METHODS),
            )
        return _with_cors(response)

    wrapper.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapper


class ReadOnlyPublicAPI(NinjaAPI):
    """A NinjaAPI whose every URL is CORS-open and read-only, with JSON for the root (an index
    of the endpoints) and for any unknown path below it."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        patterns = [
            pattern
            for pattern in super()._get_urls()
            if not (isinstance(pattern, URLPattern) and pattern.name == "api-root")
        ]
        patterns += [
            path("", functools.partial(_api_index, api=self), name="api-root"),
            path("<path:unknown>", _unknown_path, name="api-unknown"),
        ]
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = read_only_cors(pattern.callback)
        return patterns


def _api_index(request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
    if request.method not in READ_METHODS:
        return HttpResponseNotAllowed(READ_METHODS)
    links = {
        "documentation": reverse(f"{api.urls_namespace}:openapi-view"),
        "openapi": reverse(f"{api.urls_namespace}:openapi-json"),
    }
    return JsonResponse(
        {
            "title": api.title,
            **{name: request.build_absolute_uri(url) for name, url in links.items()},
        }
    )


def _unknown_path(request: HttpRequest, unknown: str) -> HttpResponse:
    return _error(404, gettext("Ressource introuvable."))


# --- Docs page -------------------------------------------------------------------------------

_DOCS_TEMPLATE = """{% extends "base.html" %}
{% block title %}{{ heading }}{% endblock %}
{% block content %}
<h1>{{ heading }}</h1>
<p>{{ introduction }}</p>
<p><a href="{{ schema_url }}">{{ schema_label }}</a></p>
<nav aria-label="{{ contents_label }}"><ul>
{% for operation in operations %}<li>
<a href="#{{ operation.anchor }}"><code>{{ operation.method }} {{ operation.path }}</code></a>
— {{ operation.summary }}</li>
{% endfor %}</ul></nav>
{% for operation in operations %}
<section id="{{ operation.anchor }}" aria-labelledby="{{ operation.anchor }}-title">
<h2 id="{{ operation.anchor }}-title"><code>{{ operation.method }} {{ operation.path }}</code></h2>
<p>{{ operation.summary }}</p>
{% if operation.description %}<p>{{ operation.description }}</p>{% endif %}
{% if operation.parameters %}
<table>
<caption>{{ parameters_label }}</caption>
<thead><tr>{% for title in columns %}<th scope="col">{{ title }}</th>{% endfor %}</tr></thead>
<tbody>{% for parameter in operation.parameters %}<tr>
<td><code>{{ parameter.name }}</code></td><td>{{ parameter.where }}</td>
<td>{{ parameter.type }}</td><td>{{ parameter.required }}</td><td>{{ parameter.description }}</td>
</tr>{% endfor %}</tbody>
</table>
{% endif %}
{% if operation.example %}<p>{{ example_label }}
<a href="{{ operation.example }}"><code>{{ operation.example }}</code></a></p>{% endif %}
</section>
{% endfor %}
{% endblock %}
"""


def _type_of(schema: dict[str, Any]) -> str:
    if "anyOf" in schema:
        return " | ".join(_type_of(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"{_type_of(schema.get('items', {}))}[]"
    return str(schema.get("type", "")) or "objet"


class OperationListDocs(DocsBase):
    """The docs page: every operation of the schema, its parameters and an example link.

    An operation gives its example through ``openapi_extra={"x-example": "…"}`` (a path and a
    query string below the API root); ``examples``, called per page, gives those that depend on
    the data (a real slug), by route as in the schema.
    """

    def __init__(self, examples: Callable[[], dict[str, str]] | None = None) -> None:
        self.examples = examples

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        root = api.get_root_path(kwargs).rstrip("/")
        known = self.examples() if self.examples else {}
        where = {"query": gettext("requête"), "path": gettext("chemin")}
        operations = []
        for route, methods in schema["paths"].items():
            for method, operation in methods.items():
                example = (
                    root + operation["x-example"]
                    if "x-example" in operation
                    else known.get(route, None if "{" in route else route)
                )
                operations.append(
                    {
                        "anchor": operation.get("operationId", route),
                        "method": method.upper(),
                        "path": route,
                        "summary": operation.get("summary", ""),
                        "description": operation.get("description", ""),
                        "parameters": [
                            {
                                "name": parameter["name"],
                                "where": where.get(parameter["in"], parameter["in"]),
                                "type": _type_of(parameter.get("schema", {})),
                                "required": gettext("oui")
                                if parameter.get("required")
                                else gettext("non"),
                                "description": parameter.get("description", ""),
                            }
                            for parameter in operation.get("parameters", [])
                        ],
                        "example": example,
                    }
                )
        context = {
            "heading": gettext("API publique"),
            "introduction": gettext(
                "L'API publique donne le catalogue en JSON : cours, sessions, établissements, "
                "disciplines. Lecture seule, sans authentification, ouverte à tous les sites "
                "(CORS). Les erreurs sont en JSON, avec un champ « detail »."
            ),
            "schema_url": self.get_openapi_url(api, kwargs),
            "schema_label": gettext("Schéma OpenAPI 3 (JSON)"),
            "contents_label": gettext("Opérations"),
            "parameters_label": gettext("Paramètres"),
            "columns": [
                gettext("Nom"),
                gettext("Emplacement"),
                gettext("Type"),
                gettext("Obligatoire"),
                gettext("Description"),
            ],
            "example_label": gettext("Exemple :"),
            "operations": operations,
        }
        template = engines["django"].from_string(_DOCS_TEMPLATE)
        return HttpResponse(template.render(context, request))


def absolute(request: HttpRequest, url: str | None) -> str | None:
    """``url`` made absolute for this request (None stays None)."""
    return request.build_absolute_uri(url) if url else None


class AbsoluteUrls:
    """Absolute URLs for one response, each route reversed once: on a page of results,
    ``reverse()`` and the host check of ``build_absolute_uri`` would otherwise cost more than
    the rest of the serialisation."""

    def __init__(self, request: HttpRequest) -> None:
        self.origin = request.build_absolute_uri("/").removesuffix("/")
        self._routes: dict[str, tuple[str, str]] = {}

    def __call__(self, view_name: str, value: str | int) -> str:
        """The URL of ``view_name`` for its one argument ``value``."""
        if view_name not in self._routes:
            before, _placeholder, after = reverse(view_name, args=["0"]).rpartition("0")
            self._routes[view_name] = (self.origin + before, after)
        before, after = self._routes[view_name]
        return f"{before}{value}{after}"
