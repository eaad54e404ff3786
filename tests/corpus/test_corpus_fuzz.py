"""Whatever bytes a library holds, the loader answers with a document or a reason, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.loader import document_from_bytes
from corpus.model import Document, Skipped

_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_front_lines = st.lists(
    st.one_of(
        st.from_regex(r"[A-Za-z_]{1,8}:[ \"']?[^\n]{0,20}", fullmatch=True),
        st.from_regex(r"  - [^\n]{0,12}", fullmatch=True),
        st.from_regex(r"[a-z]{1,6} = [^\n]{0,16}", fullmatch=True),
        st.from_regex(r"\[[a-z.]{0,8}\]", fullmatch=True),
        st.text(max_size=20).map(lambda s: s.replace("\n", " ")),
    ),
    max_size=8,
)


@_SETTINGS
@given(st.binary(max_size=2048), st.sampled_from(["a.md", "b.txt", "c.markdown"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    result = document_from_bytes(data, name)
    assert isinstance(result, Document | Skipped)
    if isinstance(result, Document):
        assert result.title
        assert result.path == name


@_SETTINGS
@given(
    st.sampled_from(["---", "+++", "{"]),
    _front_lines,
    st.sampled_from(["---", "+++", "}", "...", ""]),
    st.text(max_size=300),
    st.sampled_from(["utf-8", "utf-16", "gb18030"]),
)
def test_frontmatter_shaped_text(
    fence: str, lines: list[str], close: str, body: str, encoding: str
) -> None:
    text = "\n".join([fence, *lines, close, body])
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    result = document_from_bytes(data, "f.md")
    assert isinstance(result, Document | Skipped)
    if isinstance(result, Document):
        for row in result.rows:
            for block in row.blocks:
                assert "\x1b" not in block.text
