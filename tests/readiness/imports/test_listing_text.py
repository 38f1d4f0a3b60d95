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
        ({"title": 5}, [("title", "商品标题应为文字，收到 5")]),
        ({"title": "x" * 501}, [("title", "商品标题最多 500 个字符，收到 501 个")]),
        ({"description": "x" * 100_001}, [("description", "详情描述最多 100000 个字符")]),
        ({"subtitle": "a\x00b"}, [("subtitle", "副标题不能包含空字符（\\u0000）")]),
        ({"specs": ["250g"]}, [("specs", "规格参数应为对象，收到 数组")]),
        ({"specs": {"净含量": 250}}, [("specs.净含量", "规格参数「净含量」应为文字，收到 250")]),
        ({"specs": {" ": "x"}}, [("specs", "规格参数名不能为空")]),
        ({"specs": {"k" * 101: "x"}}, [("specs." + "k" * 101, "规格参数「" + "k" * 101 + "」最多 100 个字符")]),
        # A key other modules compare (services.listings, the API serializer translates it): kept as it is.
        ({"price": "1", "title": 5}, [("price", "not an editable field")]),
        (["title"], [("", "应为对象，收到 数组")]),
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
