"""bundle.validate_listing_text: the one validator of a listing-text edit (API, web editor and service use it)."""

from __future__ import annotations

from typing import Any

import pytest

from readiness.imports.bundle import BundleError, validate_listing_text


def test_valid_changes_come_back_as_given() -> None:
    changes = {"title": "  明前龙井 250g ", "subtitle": "", "specs": {"净含量": "250g"}}
    assert validate_listing_text(changes) == changes
    assert validate_listing_text({}) == {}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"title": 5}, [("title", "expected a string, got 5")]),
        ({"title": "x" * 501}, [("title", "must be at most 500 characters")]),
        ({"description": "x" * 100_001}, [("description", "must be at most 100000 characters")]),
        ({"subtitle": "a\x00b"}, [("subtitle", "text must not contain the NUL character (\\u0000)")]),
        ({"specs": ["250g"]}, [("specs", "expected an object, got an array")]),
        ({"specs": {"净含量": 250}}, [("specs.净含量", "expected a string, got 250")]),
        ({"specs": {" ": "x"}}, [("specs", "spec names must not be empty")]),
        ({"specs": {"k" * 101: "x"}}, [("specs." + "k" * 101, "value should have at most 100 items")]),
        ({"price": "1", "title": 5}, [("price", "not an editable field")]),
        (["title"], [("", "expected an object, got an array")]),
    ],
)
def test_bad_changes_name_the_path(changes: Any, errors: list[tuple[str, str]]) -> None:
    """Paths and messages are the bundle's (a listing's text in a bundle is validated by the same types)."""
    with pytest.raises(BundleError) as caught:
        validate_listing_text(changes)
    found = [(issue.path, issue.message) for issue in caught.value.errors]
    assert [path for path, _ in found] == [path for path, _ in errors]
    for (_, message), (_, start) in zip(found, errors, strict=True):
        assert message.startswith(start), (message, start)
