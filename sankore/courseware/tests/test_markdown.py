"""Authored Markdown is rendered on the server and sanitised, whatever the author wrote."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from sankore.courseware.markdown import AssetLinks, ImageSource, markdown_to_html


def test_headings_lists_tables_code_and_emphasis_are_rendered() -> None:
    html = markdown_to_html(
        "## Objectifs\n\n- *lire*\n- **écrire**\n\n| Niveau | Verbe |\n|:--|--:|\n| 1 | citer |\n\n"
        "```python\nprint('bonjour')\n```\n"
    )

    assert "<h2>Objectifs</h2>" in html
    assert "<li><em>lire</em></li>" in html
    assert "<li><strong>écrire</strong></li>" in html
    assert '<th class="align-left">Niveau</th>' in html  # a class: the CSP refuses styles
    assert '<td class="align-right">citer</td>' in html
    assert "<pre><code class=\"language-python\">print('bonjour')\n</code></pre>" in html


def test_maths_becomes_mathml_without_any_script() -> None:
    html = markdown_to_html("La note : $\\frac{a}{b}$.")

    assert "<math" in html
    assert "<mfrac>" in html
    assert "<script" not in html


def test_a_malformed_formula_is_shown_as_its_source() -> None:
    html = markdown_to_html("Note : $\\frac{a}{$ fin")

    assert '<code class="math-error">\\frac{a}{</code>' in html
    assert html.endswith(" fin</p>\n")


def test_scripts_event_handlers_and_javascript_links_are_removed() -> None:
    html = markdown_to_html(
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[clic](javascript:alert(1)) [ok](https://www.auf.org)\n\n"
        "![x](javascript:alert(1))"
    )

    assert "<script" not in html
    assert "onerror" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'href="javascript' not in html
    assert '<a href="https://www.auf.org" rel="noopener noreferrer nofollow">ok</a>' in html
    assert "<img" not in html


def test_course_images_get_srcset_size_and_lazy_loading() -> None:
    links = AssetLinks(
        images={
            "abc123": ImageSource(
                src="asset:abc123/w640", srcset="asset:abc123/w320 320w", width=640, height=320
            )
        }
    )

    html = markdown_to_html("![Carte du Sénégal](asset:abc123)", links=links)

    assert (
        '<img src="asset:abc123/w640" alt="Carte du Sénégal" srcset="asset:abc123/w320 320w" '
        'sizes="(min-width: 48rem) 46rem, 100vw" width="640" height="320" loading="lazy" '
        'decoding="async">'
    ) in html


def test_text_only_mode_replaces_images_by_their_description() -> None:
    links = AssetLinks(images={"abc123": ImageSource(src="asset:abc123/w640")})

    html = markdown_to_html("![Carte du Sénégal](asset:abc123)", links=links, text_only=True)

    assert "<img" not in html
    assert '<span class="image-alt">[Carte du Sénégal]</span>' in html


def test_text_in_a_formula_cannot_carry_markup() -> None:
    html = markdown_to_html("$\\text{<a href=asset:abc/original>x</a>}$ et $\\text{<b>gras</b>}$")

    assert "<a " not in html
    assert "<b>" not in html
    assert html.count('<code class="math-error">') == 2


def test_images_from_elsewhere_are_shown_as_their_description() -> None:
    html = markdown_to_html(
        "![carte](https://example.org/c.png) ![x](/apprendre/1/activites/k/telecharger/)"
    )

    assert "<img" not in html
    assert '<span class="image-alt">[carte]</span>' in html


def test_a_link_to_a_course_file_points_at_it() -> None:
    html = markdown_to_html(
        "[la grille](asset:def456)", links=AssetLinks(files={"def456": "asset:def456/original"})
    )

    assert (
        '<a href="asset:def456/original" rel="noopener noreferrer nofollow">la grille</a>' in html
    )


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ ajvscriptonerlt:()[]!*#`$\n")), max_size=120))
def test_no_input_ever_yields_a_script_or_an_event_handler(markdown: str) -> None:
    html = markdown_to_html(markdown).lower()

    assert "<script" not in html
    assert not re.search(r'(href|src)="\s*javascript:', html)
    for tag in re.findall(r"<[a-z][^>]*>", html):
        assert not re.search(r"\son[a-z]+=", tag), tag


def test_headings_sit_below_the_unit_and_block_titles() -> None:
    assert markdown_to_html("# Un\n\n## Deux\n\n### Trois").split("\n")[:3] == [
        "<h2>Un</h2>",
        "<h3>Deux</h3>",
        "<h4>Trois</h4>",
    ]
    # The highest heading lands just below the block's title, whatever level it was written at.
    assert markdown_to_html("### Trois\n\n#### Quatre", under_title=True).split("\n")[:2] == [
        "<h3>Trois</h3>",
        "<h4>Quatre</h4>",
    ]
    assert markdown_to_html("## Deux\n\n###### Six", under_title=True).split("\n")[:2] == [
        "<h3>Deux</h3>",
        "<h6>Six</h6>",
    ]
