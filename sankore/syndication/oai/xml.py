"""A small incremental XML writer: the response is written piece by piece, never held whole."""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(value: str) -> str:
    return _NOT_XML.sub("", value)


class XmlWriter:
    """Collects markup in a buffer that the caller drains after each record."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def start(self, tag: str, attrs: Mapping[str, str] | None = None) -> None:
        self._parts.append(f"<{tag}{_attributes(attrs)}>")

    def end(self, tag: str) -> None:
        self._parts.append(f"</{tag}>")

    def element(self, tag: str, text: str = "", attrs: Mapping[str, str] | None = None) -> None:
        if text:
            self._parts.append(f"<{tag}{_attributes(attrs)}>{escape(clean(text))}</{tag}>")
        else:
            self._parts.append(f"<{tag}{_attributes(attrs)}/>")

    def drain(self) -> str:
        out = "".join(self._parts)
        self._parts.clear()
        return out


def _attributes(attrs: Mapping[str, str] | None) -> str:
    if not attrs:
        return ""
    return "".join(f" {name}={quoteattr(clean(value))}" for name, value in attrs.items())
