"""``oai_dc``: unqualified Dublin Core, the format every OAI-PMH repository offers."""

from __future__ import annotations

from django.conf import settings

from sankore.syndication.oai.metadata import CourseFacts
from sankore.syndication.oai.xml import XmlWriter

PREFIX = "oai_dc"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
NAMESPACE = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"


def oai_dc_write(out: XmlWriter, facts: CourseFacts) -> None:
    lang = {"xml:lang": facts.language}
    out.start(
        "oai_dc:dc",
        {
            "xmlns:oai_dc": NAMESPACE,
            "xmlns:dc": DC,
            "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
            "xsi:schemaLocation": f"{NAMESPACE} {SCHEMA}",
        },
    )
    out.element("dc:title", facts.title, lang)
    for name in [*facts.owners, *facts.teachers]:
        out.element("dc:creator", name)
    for name in facts.partners:
        out.element("dc:contributor", name)
    for _slug, name in facts.disciplines:
        out.element("dc:subject", name)
    description = "\n\n".join(text for text in (facts.summary, facts.description) if text)
    if description:
        out.element("dc:description", description, lang)
    out.element("dc:publisher", settings.SITE_NAME)
    out.element("dc:date", facts.created)
    out.element("dc:type", "InteractiveResource")
    out.element("dc:format", "text/html")
    out.element("dc:identifier", facts.url)
    for code in facts.languages:
        out.element("dc:language", code)
    out.element("dc:rights", facts.licence_label)
    if facts.licence_url:
        out.element("dc:rights", facts.licence_url)
    out.end("oai_dc:dc")
