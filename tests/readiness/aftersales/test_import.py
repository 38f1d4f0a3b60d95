"""Importing after-sale records: CSV (UTF-8, GBK), XLSX, JSON, a platform export's headers; bad rows, all named,
nothing written."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from readiness.aftersales.models import AfterSaleRecord, PaidOrders
from readiness.aftersales.records import RecordsError
from readiness.aftersales.services import after_sales_import_files, after_sales_import_json
from tests.factories import ShopFactory
from tests.readiness.aftersales.cases import HEADERS, PAID_ORDERS, RECORDS

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, Any]], headers: list[str], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return out.getvalue().encode(encoding)


def _errors(exc: pytest.ExceptionInfo[RecordsError]) -> list[str]:
    return exc.value.lines()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_and_gbk(encoding: str) -> None:
    shop = ShopFactory()
    files = [
        ("records.csv", _csv(RECORDS, HEADERS, encoding)),
        ("orders.csv", _csv(PAID_ORDERS, ["日期", "支付订单数", "商品ID"], encoding)),
    ]
    summary = after_sales_import_files(shop=shop, files=files)
    assert (summary.records, summary.created, summary.order_days) == (len(RECORDS), len(RECORDS), 5)
    assert AfterSaleRecord.objects.get(shop=shop, refund_id="R2").reason == "质量问题"
    assert PaidOrders.objects.filter(shop=shop).count() == 5


def test_xlsx_with_two_sheets_told_by_their_headers() -> None:
    book = Workbook()
    orders = book.active
    orders.title = "订单"
    orders.append(["日期", "支付订单数"])
    orders.append(["2026-10-10", 500])
    records = book.create_sheet("售后")
    records.append(HEADERS)
    for row in RECORDS[:3]:
        records.append([row[h] for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    shop = ShopFactory()
    summary = after_sales_import_files(shop=shop, files=[("export.xlsx", buffer.getvalue())])
    assert (summary.records, summary.order_days) == (3, 1)


def test_a_platform_export_is_recognised() -> None:
    # A 千牛-style export: other names for the same columns, 是否需要退货 for the kind, extra columns ignored.
    headers = ["退款单号", "订单号", "宝贝ID", "是否需要退货", "货物状态", "退款的原因", "买家退款金额", "退款申请时间",
               "退款完结时间", "售后状态", "是否小二介入", "责任方", "买家昵称"]  # fmt: skip
    rows = [
        ["T1", "O1", "L1", "否", "卖家未发货", "不想要了", "12.5", "2026/10/05 10:00:00", "2026/10/05 11:00:00",
         "退款成功", "否", "", "tb123"],
        ["T2", "O2", "L1", "是", "买家已收到货", "质量问题", "88", "2026-10-06 10:00:00", "", "待商家收货", "否",
         "", "tb456"],
    ]  # fmt: skip
    out = io.StringIO()
    csv.writer(out).writerows([headers, *rows])
    shop = ShopFactory()
    summary = after_sales_import_files(shop=shop, files=[("qianniu.csv", out.getvalue().encode("gbk"))])
    assert summary.records == 2
    assert any("买家昵称" in w for w in summary.warnings)
    t1 = AfterSaleRecord.objects.get(shop=shop, refund_id="T1")
    t2 = AfterSaleRecord.objects.get(shop=shop, refund_id="T2")
    assert (t1.kind, t1.shipped, t1.status, str(t1.amount)) == ("refund_only", False, "success", "12.50")
    assert (t2.kind, t2.shipped, t2.status, t2.closed_at) == ("return_refund", True, "open", None)


def test_bad_rows_are_all_named_and_nothing_is_written() -> None:
    shop = ShopFactory()
    after_sales_import_json(shop=shop, data={"records": RECORDS[:1]})
    bad = [
        dict(RECORDS[1], 售后类型="退一半"),
        dict(RECORDS[2], 退款金额="12.345"),
        dict(RECORDS[3], 申请时间="昨天"),
        dict(RECORDS[4], 退款状态="退款成功", 完结时间=""),
        dict(RECORDS[5], 判责="卖家"),  # not intervened
        dict(RECORDS[6], 完结时间="2026-09-01 00:00:00"),  # before it was asked
        dict(RECORDS[7], 退款编号=""),
        dict(RECORDS[8], 退款编号="R1"),
        dict(RECORDS[9], 退款编号="R1"),  # twice in one import
    ]
    with pytest.raises(RecordsError) as exc:
        after_sales_import_json(shop=shop, data={"records": [RECORDS[0], *bad], "paid_orders": [{"日期": "x"}]})
    errors = _errors(exc)
    assert "records[1].售后类型: “退一半” 不是 仅退款、退货退款、换货、补寄 之一" in errors
    assert "records[2].退款金额: 金额最多两位小数" in errors
    assert any(e.startswith("records[3].申请时间: 应为时间") for e in errors)
    assert "records[4].完结时间: 退款成功或退款关闭的售后单必须有完结时间" in errors
    assert "records[5].判责: 只有平台介入（平台介入=是）的售后单才有判责" in errors
    assert any(e.startswith("records[6].完结时间: 早于申请时间") for e in errors)
    assert "records[7].退款编号: 必填，不能为空" in errors
    assert "records[8].退款编号: 退款编号 R1 重复（已在 records[0] 出现）" in errors
    assert any(e.startswith("paid_orders[0].日期: 应为日期") for e in errors)
    assert any(e.startswith("paid_orders[0].支付订单数: 必填") for e in errors)
    assert exc.value.total == len(errors)
    assert AfterSaleRecord.objects.filter(shop=shop).count() == 1  # only the earlier import
    assert not PaidOrders.objects.filter(shop=shop).exists()


def test_bad_csv_rows_are_named_by_line() -> None:
    rows = [dict(RECORDS[0]), dict(RECORDS[1], 发货状态="半路上")]
    with pytest.raises(RecordsError) as exc:
        after_sales_import_files(shop=ShopFactory(), files=[("r.csv", _csv(rows, HEADERS))])
    assert _errors(exc) == ["r.csv 第3行 发货状态: “半路上” 不是 未发货、已发货 之一"]


def test_missing_columns_and_unknown_tables() -> None:
    with pytest.raises(RecordsError) as exc:
        after_sales_import_files(
            shop=ShopFactory(),
            files=[("a.csv", "退款编号,订单编号\nR1,O1\n".encode()), ("b.csv", "名称,数量\n".encode())],
        )
    errors = _errors(exc)
    assert errors[0].startswith("a.csv: 缺少列：商品ID、售后类型")
    assert errors[1].startswith("b.csv: 无法识别的表格")


def test_undecodable_file() -> None:
    with pytest.raises(RecordsError) as exc:
        after_sales_import_files(shop=ShopFactory(), files=[("x.csv", b"\xff\xfe\x00\x81\x00")])
    assert "无法识别的编码" in _errors(exc)[0]


def test_command(tmp_path: Any, capsys: Any) -> None:
    shop = ShopFactory(code="acme")
    path = tmp_path / "records.csv"
    path.write_bytes(_csv(RECORDS, HEADERS, "gbk"))
    call_command("import_after_sales", str(path), "--shop", "acme")
    assert f"售后记录 {len(RECORDS)} 条（新增 {len(RECORDS)}" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv([dict(RECORDS[0], 退款金额="-1")], HEADERS))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_after_sales", str(bad), "--shop", "acme")
    assert exit_info.value.code == 2
    assert "bad.csv 第2行 退款金额" in capsys.readouterr().err
    assert AfterSaleRecord.objects.filter(shop=shop).count() == len(RECORDS)


def _many(n: int, prefix: str) -> list[dict[str, Any]]:
    return [dict(RECORDS[i % len(RECORDS)], 退款编号=f"{prefix}{i}", 订单编号=f"{prefix}O{i}") for i in range(n)]


def test_query_count_does_not_grow_with_rows(django_assert_num_queries: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("set-based COPY upsert is PostgreSQL's; SQLite batches bulk_create at 999 parameters")
    counts = []
    for n, prefix in ((10, "S"), (600, "M")):
        shop = ShopFactory()
        orders = [
            {"日期": f"2026-10-{d:02d}", "支付订单数": 10, "商品ID": f"L{i}"}
            for d in range(1, 29)
            for i in range(n // 20 + 1)
        ]
        with CaptureQueriesContext(connection) as queries:
            after_sales_import_json(shop=shop, data={"records": _many(n, prefix), "paid_orders": orders})
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.parametrize("count", ["²", "9" * 5000, "-3", "1.5", "十二"])
def test_a_count_that_is_not_a_plain_number_is_a_row_problem(count: str) -> None:
    shop = ShopFactory()
    with pytest.raises(RecordsError) as exc:
        after_sales_import_json(shop=shop, data={"paid_orders": [dict(PAID_ORDERS[0], 支付订单数=count)]})
    assert any(e.startswith("paid_orders[0].支付订单数: 应为非负整数") for e in _errors(exc))
    assert not PaidOrders.objects.filter(shop=shop).exists()


def test_full_width_digits_are_a_count() -> None:
    shop = ShopFactory()
    after_sales_import_json(shop=shop, data={"paid_orders": [dict(PAID_ORDERS[0], 支付订单数="１２")]})
    assert PaidOrders.objects.get(shop=shop).orders == 12


_CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.text(alphabet="0123456789.,-+eE¥ ²１", max_size=12),
    st.lists(st.integers(), max_size=2),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(column=st.sampled_from(HEADERS), value=_CELLS, paid=_CELLS)
def test_any_cell_is_imported_or_a_named_problem(column: str, value: Any, paid: Any) -> None:
    """Whatever a JSON row holds, the import stores it or names the problem: never another exception."""
    shop = ShopFactory()
    data = {"records": [dict(RECORDS[0], **{column: value})], "paid_orders": [dict(PAID_ORDERS[1], 支付订单数=paid)]}
    try:
        after_sales_import_json(shop=shop, data=data)
    except RecordsError as exc:
        assert exc.lines()
        assert not AfterSaleRecord.objects.filter(shop=shop).exists()
    else:
        assert AfterSaleRecord.objects.filter(shop=shop).count() == 1
