"""Authored Markdown to safe HTML, on the server, once per publication.

CommonMark plus tables, strikethrough and maths (``$…$`` inline, ``$$…$$`` display) rendered
to MathML, which browsers draw natively: no script reaches the learner. Images and links may
point at the course's uploaded files as ``asset:KEY``; the caller says what each key becomes.
Whatever the author wrote, the output goes through nh3 (ammonia): no script, no event
handler, no ``javascript:`` link survives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

import latex2mathml.converter
import nh3
from django.utils.html import escape
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin

ASSET_SCHEME = "asset:"
ASSET_REFERENCE = re.compile(r"asset:([0-9a-zA-Z_-]{3,64})")

_MATHML_TAGS = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msup", "msub", "msubsup", "mfrac", "msqrt", "mroot", "mover", "munder", "munderover",
    "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom", "menclose", "merror",
}  # fmt: skip
_MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
    "columnalign", "rowalign", "accent", "accentunder", "movablelimits", "width", "height",
    "depth", "linethickness", "notation", "encoding", "minsize", "maxsize", "symmetric",
    "largeop", "displaystyle", "scriptlevel", "form",
}  # fmt: skip
_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "s",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "sup",
    "sub",
    "span",
    "kbd",
    "figure",
    "figcaption",
} | _MATHML_TAGS
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "srcset", "sizes", "alt", "title", "width", "height", "loading", "decoding"},
    "th": {"scope"},
    "ol": {"start"},
    **dict.fromkeys(_MATHML_TAGS, _MATHML_ATTRIBUTES),
}


_ALIGN_CLASSES = {"align-left", "align-right", "align-center"}
_ALIGN_STYLE = re.compile(r' style="text-align:(left|right|center)"')
_CODE_LANGUAGES = {
    "python", "r", "sql", "bash", "sh", "text", "html", "css", "javascript", "js", "json",
    "xml", "java", "c", "cpp", "php", "latex", "markdown", "yaml",
}  # fmt: skip


@dataclass(frozen=True)
class ImageSource:
    """What an ``asset:KEY`` image becomes in the page."""

    src: str
    srcset: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class AssetLinks:
    """The caller's answer for each ``asset:KEY``: images, and plain links (downloads)."""

    images: dict[str, ImageSource] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def asset_keys_in(markdown: str) -> set[str]:
    return set(ASSET_REFERENCE.findall(markdown))


_MATHML_NS = "{http://www.w3.org/1998/Math/MathML}"


def _math(latex: str, *, display: bool) -> str:
    """MathML of a formula, rebuilt from a parsed tree of MathML elements only: latex2mathml
    copies ``\\text{…}`` verbatim, so its output is never trusted as markup."""
    try:
        converted = latex2mathml.converter.convert(latex, display="block" if display else "inline")
        if "<!" in converted or "<?" in converted:  # no DOCTYPE, entity or instruction
            return _math_source(latex)
        tree = ElementTree.fromstring(converted)  # noqa: S314 - declarations refused above
    except Exception:  # any malformed formula is shown as its source
        return _math_source(latex)
    for element in tree.iter():
        tag = str(element.tag)
        if not tag.startswith(_MATHML_NS) or tag.removeprefix(_MATHML_NS) not in _MATHML_TAGS:
            return _math_source(latex)
        for name in list(element.attrib):
            if name not in _MATHML_ATTRIBUTES:
                del element.attrib[name]
    ElementTree.register_namespace("", _MATHML_NS[1:-1])
    return ElementTree.tostring(tree, encoding="unicode", short_empty_elements=False)


def _math_source(latex: str) -> str:
    return f'<code class="math-error">{escape(latex)}</code>'


def _parser(*, links: AssetLinks, text_only: bool, under_title: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.use(
        dollarmath_plugin,
        allow_space=True,
        double_inline=True,
        renderer=lambda content, options: _math(content, display=options.get("display_mode")),
    )

    def image(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        alt = self.renderInlineAsText(token.children or [], options, env)
        src = str(token.attrGet("src") or "")
        if text_only:
            return f'<span class="image-alt">[{escape(alt or "image")}]</span>'
        source = _image_source(src, links)
        if source is None:
            return f'<span class="image-alt">[{escape(alt or "image")}]</span>'
        attributes = [f'src="{escape(source.src)}"', f'alt="{escape(alt)}"']
        if source.srcset:
            attributes.append(f'srcset="{escape(source.srcset)}"')
            attributes.append('sizes="(min-width: 48rem) 46rem, 100vw"')
        if source.width and source.height:
            attributes.append(f'width="{source.width}" height="{source.height}"')
        attributes.append('loading="lazy" decoding="async"')
        return f"<img {' '.join(attributes)}>"

    def link_open(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        token = tokens[idx]
        href = str(token.attrGet("href") or "")
        if href.startswith(ASSET_SCHEME):
            token.attrSet("href", links.files.get(href[len(ASSET_SCHEME) :], "#"))
        return self.renderToken(tokens, idx, options, env)

    def heading(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        # The unit's title is the page's h1, a block's title its h2: the author's highest
        # heading goes just below them, and the others keep their distance from it.
        token = tokens[idx]
        base = 3 if under_title else 2
        level = int(token.tag[1]) - env.get("top_heading", 1) + base
        token.tag = f"h{min(max(level, base), 6)}"
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)
    md.add_render_rule("image", image)
    md.add_render_rule("link_open", link_open)
    return md


def _image_source(src: str, links: AssetLinks) -> ImageSource | None:
    # Only the course's own files: every asset is served by the platform (the CSP refuses
    # others), and an image must never make readers fetch some other page of the site.
    if src.startswith(ASSET_SCHEME):
        return links.images.get(src[len(ASSET_SCHEME) :])
    return None


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        # asset: references are resolved into this site's URLs by the page showing them.
        url_schemes={"http", "https", "mailto", "asset"},
        link_rel="noopener noreferrer nofollow",
        allowed_classes={
            "th": _ALIGN_CLASSES,
            "td": _ALIGN_CLASSES,
            "code": {"math-error", *(f"language-{name}" for name in _CODE_LANGUAGES)},
            "span": {"math", "inline", "image-alt"},
        },
        strip_comments=True,
    )


def markdown_to_html(
    markdown: str,
    *,
    links: AssetLinks | None = None,
    text_only: bool = False,
    under_title: bool = False,
) -> str:
    """Safe HTML of ``markdown``; ``text_only`` replaces images by their alternative text,
    ``under_title`` moves headings one level down (the block has a title of its own)."""
    parser = _parser(links=links or AssetLinks(), text_only=text_only, under_title=under_title)
    env: dict[str, Any] = {}
    tokens = parser.parse(markdown, env)
    levels = [int(token.tag[1]) for token in tokens if token.type == "heading_open"]
    env["top_heading"] = min(levels, default=1)
    rendered = parser.renderer.render(tokens, parser.options, env)
    # Alignment as classes: the content security policy refuses inline styles.
    html = sanitise_html(_ALIGN_STYLE.sub(r' class="align-\1"', rendered))
    # A wide table scrolls on a phone; keyboard users must be able to scroll it too.
    return html.replace("<table>", '<div class="table-scroll" tabindex="0"><table>').replace(
        "</table>", "</table></div>"
    )
