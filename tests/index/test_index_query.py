"""The query language: operators, fields and what a malformed query turns into."""

from __future__ import annotations

import pytest

from index.query.language import And, Filter, Not, Or, Text, parse


def test_words_are_anded() -> None:
    assert parse("llama 开源").node == And((Text("llama"), Text("开源")))


def test_or_not_minus_phrase_prefix() -> None:
    assert parse("a OR b").node == Or((Text("a"), Text("b")))
    assert parse("a -b").node == And((Text("a"), Not(Text("b"))))
    assert parse("a NOT b").node == And((Text("a"), Not(Text("b"))))
    assert parse('"open source"').node == Text("open source", phrase=True)
    assert parse("optim*").node == Text("optim", prefix=True)
    assert parse("(a OR b) c").node == And((Or((Text("a"), Text("b"))), Text("c")))


def test_fields() -> None:
    assert parse("tag:AI").node == Filter("tag", "AI")
    assert parse('tag:"open source"').node == Filter("tag", "open source")
    assert parse("lang:ZH").node == Filter("lang", "zh")
    assert parse("date:2023-07..2024-04").node == Filter("date", "2023-07..2024-04")
    assert parse("title:llama").node == Text("llama", field="title")
    assert parse('author:"Matt Rickard"').node == Text("Matt Rickard", field="author", phrase=True)


def test_hyphen_inside_a_word_is_not_negation() -> None:
    assert parse("open-source").node == Text("open-source")


@pytest.mark.parametrize(
    ("query", "ignored", "node"),
    [
        ('"open source', ['"'], And((Text("open"), Text("source")))),
        ("(llama", ["("], Text("llama")),
        ("llama)", [")"], Text("llama")),
        ("OR llama", ["OR"], Text("llama")),
        ("llama OR", ["OR"], Text("llama")),
        ("llama NOT", ["NOT"], Text("llama")),
        ("llama -", ["-"], Text("llama")),
        ("foo:bar", ["foo:"], And((Text("foo"), Text("bar")))),
        ("lang:french llama", ["lang:french"], Text("llama")),
        ("lang:fr llama", [], And((Filter("lang", "fr"), Text("llama")))),
        ("date:last-week", ["date:last-week"], None),
        ("tag:", ["tag:"], None),
        ("", [], None),
    ],
)
def test_malformed_queries_become_plain_terms(query: str, ignored: list[str], node: object) -> None:
    parsed = parse(query)
    assert parsed.ignored == ignored
    assert parsed.node == node


def test_urls_and_times_are_not_fields() -> None:
    assert parse("https://example.com").ignored == []
    assert parse("10:30").ignored == []
