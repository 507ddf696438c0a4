"""Beacon's `indent` filter gives what Jinja's gives, for any text, as text or as markup."""

from hypothesis import given
from hypothesis import strategies as st
from jinja2.filters import do_indent
from markupsafe import Markup

from beacon.core.jinja_filters import indent

# Text rich in line breaks of every kind `str.splitlines` knows, blank lines and markup.
_PIECES = ["a", " ", "<td>", "&", "\n", "\n\n", "\r", "\r\n", "\x0b", "\x0c", "\x1c", "\x85"]
_text = st.lists(st.sampled_from([*_PIECES, "\u2028"]), max_size=40).map("".join)
_width = st.one_of(st.integers(min_value=0, max_value=8), st.sampled_from(["", "\t", "--"]))


@given(text=_text, width=_width, first=st.booleans(), blank=st.booleans())
def test_indent_gives_what_jinjas_gives_for_text(text, width, first, blank):
    assert indent(text, width, first, blank) == do_indent(text, width, first, blank)
    assert type(indent(text, width, first, blank)) is type(do_indent(text, width, first, blank))


@given(text=_text, width=_width, first=st.booleans(), blank=st.booleans())
def test_indent_gives_what_jinjas_gives_for_markup(text, width, first, blank):
    markup = Markup(text)
    ours = indent(markup, width, first, blank)
    assert ours == do_indent(markup, width, first, blank)
    assert isinstance(ours, Markup)


def test_a_table_indents_its_rows_under_its_opening_tag():
    assert indent(Markup("<tr>\n<td>1</td>\n\n</tr>\n"), 2) == Markup(
        "<tr>\n  <td>1</td>\n\n  </tr>\n"
    )


def test_the_pages_use_beacons_indent():
    from django.template import engines

    assert engines["jinja2"].env.filters["indent"] is indent
