"""After-sale record rows and paid-order rows (interfaces.md §4): headers, values, validation. Pure Python.

A table (a CSV file, an XLSX sheet, or the JSON rows of the API) is told by its headers: records have 退款编号,
paid orders 日期 and 支付订单数. A platform export whose headers mean the same is recognised through
:data:`RECORD_ALIASES` (e.g. 宝贝ID for 商品ID, 退款完结时间 for 完结时间, 是否需要退货 是/否 for 售后类型); unknown columns
are ignored (reported as warnings). Every bad value is an error naming its row and column; a table is
imported whole or not at all, so parsing collects all errors before anything is written.

Row numbers are those a person sees: in a file the header is row 1 and the first record row 2; in JSON the
path is ``records[0].退款编号``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
MAX_ERRORS = 100
MAX_ID = 64
MAX_AMOUNT = Decimal("9999999999.99")

# The canonical headers of interfaces.md §4 → field names.
RECORD_HEADERS = {
    "退款编号": "refund_id",
    "订单编号": "order_id",
    "商品ID": "listing_id",
    "商家编码": "sku_code",
    "售后类型": "kind",
    "发货状态": "shipped",
    "退款原因": "reason",
    "退款金额": "amount",
    "申请时间": "requested_at",
    "商家处理时间": "seller_handled_at",
    "买家退货时间": "buyer_shipped_at",
    "商家收货时间": "seller_received_at",
    "完结时间": "closed_at",
    "退款状态": "status",
    "平台介入": "intervened",
    "判责": "liability",
}
REQUIRED_RECORD_HEADERS = (
    "退款编号",
    "订单编号",
    "商品ID",
    "售后类型",
    "发货状态",
    "退款原因",
    "退款金额",
    "申请时间",
    "退款状态",
)

# Headers of platform exports (Taobao/Tmall 千牛, PDD, JD, Douyin back offices) that mean the same thing.
# 是否需要退货 carries the kind as 是 (退货退款) / 否 (仅退款); 货物状态 the shipping state in the buyer's words.
RECORD_ALIASES = {
    "退款单号": "退款编号",
    "售后单号": "退款编号",
    "售后编号": "退款编号",
    "退款单编号": "退款编号",
    "服务单号": "退款编号",
    "订单号": "订单编号",
    "主订单编号": "订单编号",
    "子订单编号": "订单编号",
    "订单ID": "订单编号",
    "宝贝ID": "商品ID",
    "商品id": "商品ID",
    "商品编号": "商品ID",
    "商品编码": "商家编码",
    "外部系统编号": "商家编码",
    "SKU编码": "商家编码",
    "退款类型": "售后类型",
    "服务类型": "售后类型",
    "是否需要退货": "售后类型",
    "货物状态": "发货状态",
    "订单状态": "发货状态",
    "退款的原因": "退款原因",
    "售后原因": "退款原因",
    "申请原因": "退款原因",
    "买家退款金额": "退款金额",
    "实际退款金额": "退款金额",
    "退款金额(元)": "退款金额",
    "退款申请时间": "申请时间",
    "售后申请时间": "申请时间",
    "买家申请时间": "申请时间",
    "卖家处理时间": "商家处理时间",
    "商家同意时间": "商家处理时间",
    "卖家同意时间": "商家处理时间",
    "买家发货时间": "买家退货时间",
    "退货时间": "买家退货时间",
    "卖家收货时间": "商家收货时间",
    "卖家确认收货时间": "商家收货时间",
    "退款完结时间": "完结时间",
    "退款完成时间": "完结时间",
    "完成时间": "完结时间",
    "售后完结时间": "完结时间",
    "售后状态": "退款状态",
    "小二介入": "平台介入",
    "是否小二介入": "平台介入",
    "客服介入状态": "平台介入",
    "是否平台介入": "平台介入",
    "责任方": "判责",
    "判定责任方": "判责",
    "判责结果": "判责",
}

ORDER_HEADERS = {"日期": "date", "支付订单数": "orders", "商品ID": "listing_id"}
ORDER_ALIASES = {
    "统计日期": "日期",
    "支付日期": "日期",
    "支付订单量": "支付订单数",
    "支付子订单数": "支付订单数",
    "付款订单数": "支付订单数",
    "成交订单数": "支付订单数",
    "宝贝ID": "商品ID",
    "商品id": "商品ID",
}

KINDS = {
    "仅退款": "refund_only",
    "退货退款": "return_refund",
    "换货": "exchange",
    "补寄": "reship",
    # 是否需要退货 (Taobao/Tmall exports)
    "是": "return_refund",
    "否": "refund_only",
    "退款": "refund_only",
    "退货": "return_refund",
}
KIND_LABELS = {"refund_only": "仅退款", "return_refund": "退货退款", "exchange": "换货", "reship": "补寄"}
SHIPPED = {
    "未发货": False,
    "已发货": True,
    "卖家未发货": False,
    "买家未收到货": True,
    "买家已收到货": True,
    "已收货": True,
    "未收到货": True,
}
STATUSES = {
    "退款成功": "success",
    "退款关闭": "closed",
    "处理中": "open",
    "成功": "success",
    "已完成": "success",
    "售后成功": "success",
    "关闭": "closed",
    "已关闭": "closed",
    "售后关闭": "closed",
    "退款中": "open",
    "待商家处理": "open",
    "待卖家处理": "open",
    "待买家退货": "open",
    "待商家收货": "open",
    "待卖家收货": "open",
}
YES_NO = {"是": True, "否": False, "已介入": True, "未介入": False, "Y": True, "N": False, "1": True, "0": False}
LIABILITY = {
    "卖家": "seller",
    "商家": "seller",
    "卖家责任": "seller",
    "买家": "buyer",
    "买家责任": "buyer",
    "": "",
    "无": "",
}


@dataclasses.dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem of one table: ``where`` is ``records.csv 第12行 退款金额`` or ``records[11].退款金额``."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class RecordsError(Exception):
    """Rows that cannot be imported: every problem (up to MAX_ERRORS) and the total."""

    def __init__(self, errors: list[RowIssue], total: int | None = None) -> None:
        self.errors = errors[:MAX_ERRORS]
        self.total = total if total is not None else len(errors)
        super().__init__(self.summary())

    def summary(self) -> str:
        more = f"（仅列出前 {len(self.errors)} 个）" if self.total > len(self.errors) else ""
        return f"售后数据有 {self.total} 处错误{more}，未导入任何数据"

    def lines(self) -> list[str]:
        return [str(issue) for issue in self.errors]


@dataclasses.dataclass(frozen=True, slots=True)
class RecordRow:
    refund_id: str
    order_id: str
    listing_id: str
    sku_code: str
    kind: str
    shipped: bool
    reason: str
    amount: Decimal
    requested_at: dt.datetime
    seller_handled_at: dt.datetime | None
    buyer_shipped_at: dt.datetime | None
    seller_received_at: dt.datetime | None
    closed_at: dt.datetime | None
    status: str
    intervened: bool
    liability: str


RECORD_FIELDS = [f.name for f in dataclasses.fields(RecordRow)]


@dataclasses.dataclass(frozen=True, slots=True)
class OrderRow:
    date: dt.date
    orders: int
    listing_id: str


@dataclasses.dataclass
class Parsed:
    """The rows of every table of one import, and what was ignored."""

    records: list[RecordRow] = dataclasses.field(default_factory=list)
    orders: list[OrderRow] = dataclasses.field(default_factory=list)
    warnings: list[RowIssue] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, slots=True)
class Table:
    """A table to parse: its name (file or sheet, for messages; ``records``/``paid_orders`` for JSON), its
    headers, and its rows (sequences in header order). ``json`` switches the row naming to JSON paths."""

    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    json: bool = False
    first_row: int = 2
    kind: str | None = None  # records / orders when known (JSON rows); else told by the headers


def _clean_header(value: Any) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"\s+", "", text.replace("\ufeff", "")).replace("（", "(").replace("）", ")")


def canonical_headers(headers: Sequence[Any], aliases: Mapping[str, str], known: Mapping[str, str]) -> list[str]:
    """Each header in its canonical spelling (an alias replaced), or "" when unknown."""
    out = []
    for header in headers:
        name = _clean_header(header)
        name = aliases.get(name, name)
        out.append(name if name in known else "")
    return out


def table_kind(headers: Sequence[Any]) -> str | None:
    """``records``, ``orders`` or None, from a table's headers (a platform export's too)."""
    record = canonical_headers(headers, RECORD_ALIASES, RECORD_HEADERS)
    if "退款编号" in record:
        return "records"
    order = canonical_headers(headers, ORDER_ALIASES, ORDER_HEADERS)
    if "日期" in order and "支付订单数" in order:
        return "orders"
    return None


def parse_tables(tables: Iterable[Table]) -> Parsed:
    """Parse every table into rows; raise :class:`RecordsError` with every problem if any row is bad.

    Re-stating a 退款编号 (or a day's paid orders) in one import is an error: which row should win?
    """
    parsed = Parsed()
    errors: list[RowIssue] = []
    seen_refunds: dict[str, str] = {}
    seen_days: dict[tuple[dt.date, str], str] = {}
    for table in tables:
        kind = table.kind or table_kind(table.headers)
        if kind is None:
            errors.append(
                RowIssue(table.name, "无法识别的表格：售后记录需要“退款编号”列，支付订单需要“日期”和“支付订单数”列")
            )
            continue
        if kind == "records":
            _parse_records(table, parsed, errors, seen_refunds)
        else:
            _parse_orders(table, parsed, errors, seen_days)
    if errors:
        raise RecordsError(errors)
    return parsed


def _where(table: Table, index: int, column: str) -> str:
    if table.json:
        return f"{table.name}[{index}].{column}" if column else f"{table.name}[{index}]"
    row = f"{table.name} 第{index + table.first_row}行"
    return f"{row} {column}" if column else row


def _columns(table: Table, aliases: Mapping[str, str], known: Mapping[str, str], parsed: Parsed) -> dict[str, int]:
    names = canonical_headers(table.headers, aliases, known)
    columns: dict[str, int] = {}
    for i, (raw, name) in enumerate(zip(table.headers, names, strict=True)):
        if not name:
            if _clean_header(raw):
                parsed.warnings.append(RowIssue(table.name, f"未知的列“{_clean_header(raw)}”，已忽略"))
            continue
        columns.setdefault(name, i)  # the first of two columns meaning the same wins
    return columns


def _parse_records(table: Table, parsed: Parsed, errors: list[RowIssue], seen: dict[str, str]) -> None:
    columns = _columns(table, RECORD_ALIASES, RECORD_HEADERS, parsed)
    missing = [h for h in REQUIRED_RECORD_HEADERS if h not in columns]
    if missing:
        errors.append(RowIssue(table.name, f"缺少列：{'、'.join(missing)}"))
        return
    for index, row in enumerate(table.rows):
        if not any(row) or not any(_present(v) for v in row):
            continue  # a blank line at the end of a sheet
        row_errors: list[RowIssue] = []

        def cell(header: str, row: Sequence[Any] = row) -> Any:
            i = columns.get(header)
            return row[i] if i is not None and i < len(row) else None

        def fail(header: str, message: str, index: int = index, row_errors: list[RowIssue] = row_errors) -> None:
            row_errors.append(RowIssue(_where(table, index, header), message))

        refund_id = _identifier(cell("退款编号"), "退款编号", fail, required=True)
        order_id = _identifier(cell("订单编号"), "订单编号", fail, required=True)
        listing_id = _identifier(cell("商品ID"), "商品ID", fail, required=True)
        sku_code = _identifier(cell("商家编码"), "商家编码", fail, required=False)
        kind = _choice(cell("售后类型"), "售后类型", KINDS, "仅退款、退货退款、换货、补寄", fail)
        shipped = _choice(cell("发货状态"), "发货状态", SHIPPED, "未发货、已发货", fail)
        reason = _text(cell("退款原因"), "退款原因", fail)
        amount = _amount(cell("退款金额"), "退款金额", fail)
        requested_at = _time(cell("申请时间"), "申请时间", fail, required=True)
        handled_at = _time(cell("商家处理时间"), "商家处理时间", fail)
        buyer_shipped_at = _time(cell("买家退货时间"), "买家退货时间", fail)
        received_at = _time(cell("商家收货时间"), "商家收货时间", fail)
        closed_at = _time(cell("完结时间"), "完结时间", fail)
        status = _choice(cell("退款状态"), "退款状态", STATUSES, "退款成功、退款关闭、处理中", fail)
        intervened_raw = cell("平台介入")
        intervened = _choice(intervened_raw, "平台介入", YES_NO, "是、否", fail) if _present(intervened_raw) else False
        liability = _choice(cell("判责") if _present(cell("判责")) else "", "判责", LIABILITY, "卖家、买家或空", fail)
        if not row_errors:
            assert isinstance(requested_at, dt.datetime)
            if status in ("success", "closed") and closed_at is None:
                fail("完结时间", "退款成功或退款关闭的售后单必须有完结时间")
            if status == "open" and closed_at is not None:
                fail("完结时间", "处理中的售后单不应有完结时间")
            for header, value in (
                ("商家处理时间", handled_at),
                ("买家退货时间", buyer_shipped_at),
                ("商家收货时间", received_at),
                ("完结时间", closed_at),
            ):
                if value is not None and value < requested_at:
                    fail(header, f"早于申请时间 {requested_at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}")
            if liability and not intervened:
                fail("判责", "只有平台介入（平台介入=是）的售后单才有判责")
        if not row_errors:
            assert isinstance(refund_id, str)
            first = seen.get(refund_id)
            if first is not None:
                fail("退款编号", f"退款编号 {refund_id} 重复（已在 {first} 出现）")
            else:
                seen[refund_id] = _where(table, index, "")
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.records.append(
            RecordRow(
                refund_id=refund_id,  # type: ignore[arg-type]
                order_id=order_id,  # type: ignore[arg-type]
                listing_id=listing_id,  # type: ignore[arg-type]
                sku_code=sku_code or "",
                kind=kind,
                shipped=shipped,
                reason=reason,  # type: ignore[arg-type]
                amount=amount,  # type: ignore[arg-type]
                requested_at=requested_at,  # type: ignore[arg-type]
                seller_handled_at=handled_at,
                buyer_shipped_at=buyer_shipped_at,
                seller_received_at=received_at,
                closed_at=closed_at,
                status=status,
                intervened=bool(intervened),
                liability=liability or "",
            )
        )


def _parse_orders(table: Table, parsed: Parsed, errors: list[RowIssue], seen: dict[tuple[dt.date, str], str]) -> None:
    columns = _columns(table, ORDER_ALIASES, ORDER_HEADERS, parsed)
    for index, row in enumerate(table.rows):
        if not any(row) or not any(_present(v) for v in row):
            continue
        row_errors: list[RowIssue] = []

        def cell(header: str, row: Sequence[Any] = row) -> Any:
            i = columns.get(header)
            return row[i] if i is not None and i < len(row) else None

        def fail(header: str, message: str, index: int = index, row_errors: list[RowIssue] = row_errors) -> None:
            row_errors.append(RowIssue(_where(table, index, header), message))

        day = _date(cell("日期"), "日期", fail)
        orders = _count(cell("支付订单数"), "支付订单数", fail)
        listing_id = _identifier(cell("商品ID"), "商品ID", fail, required=False) or ""
        if not row_errors:
            assert isinstance(day, dt.date)
            key = (day, listing_id)
            if key in seen:
                fail("日期", f"{day} {listing_id or '全店'} 的支付订单数重复（已在 {seen[key]} 出现）")
            else:
                seen[key] = _where(table, index, "")
        if row_errors:
            errors.extend(row_errors)
            continue
        parsed.orders.append(OrderRow(date=day, orders=orders, listing_id=listing_id))  # type: ignore[arg-type]


# ---- values ------------------------------------------------------------------------------------------------------

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _present(value: Any) -> bool:
    if value is None or value == "":
        return False
    return not (isinstance(value, str) and not value.strip())


def _plain(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a spreadsheet's 1234567 read as 1234567.0
    return str(value).strip()


def _identifier(value: Any, header: str, fail: Any, *, required: bool) -> str | None:
    if not _present(value):
        if required:
            fail(header, "必填，不能为空")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        fail(header, f"应为文本，得到 {value!r}")
        return None
    text = _plain(value)
    if len(text) > MAX_ID:
        fail(header, f"最长 {MAX_ID} 个字符")
        return None
    if _UNSTORABLE.search(text):
        fail(header, "含有无法保存的字符")
        return None
    return text


def _text(value: Any, header: str, fail: Any) -> str | None:
    return _identifier(value, header, fail, required=True)


def _choice(value: Any, header: str, choices: Mapping[str, Any], expected: str, fail: Any) -> Any:
    text = _plain(value) if value is not None else ""
    if text in choices:
        return choices[text]
    if not text:
        fail(header, f"必填，应为 {expected} 之一")
    else:
        fail(header, f"“{text[:40]}” 不是 {expected} 之一")
    return None


def _amount(value: Any, header: str, fail: Any) -> Decimal | None:
    if not _present(value):
        fail(header, "必填，不能为空")
        return None
    if isinstance(value, bool):
        fail(header, "应为金额（元），如 59.90")
        return None
    text = str(value).strip().replace(",", "").replace("¥", "").replace("￥", "")
    if isinstance(value, float):
        text = repr(value)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        fail(header, f"应为金额（元），如 59.90，得到 “{str(value)[:40]}”")
        return None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        fail(header, "应为 0 到 9999999999.99 之间的金额")
        return None
    if amount != amount.quantize(Decimal("0.01")):
        fail(header, "金额最多两位小数")
        return None
    return amount.quantize(Decimal("0.01"))


def _time(value: Any, header: str, fail: Any, *, required: bool = False) -> dt.datetime | None:
    if not _present(value):
        if required:
            fail(header, "必填，不能为空")
        return None
    if isinstance(value, dt.datetime):  # an XLSX cell
        moment = value
    elif isinstance(value, str):
        # ISO 8601 and "YYYY-MM-DD HH:MM:SS" (and the "/" of Excel exports) are read by fromisoformat, in C:
        # strptime was half of the import's time.
        text = value.strip().replace("/", "-")
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            fail(header, f"应为时间，如 2026-11-12 10:30:00 或 ISO 8601，得到 “{value.strip()[:40]}”")
            return None
    else:
        fail(header, f"应为时间文本，得到 {value!r}")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=SHANGHAI)
    if not 2000 <= moment.year <= 2100:
        fail(header, "时间超出范围（2000–2100 年）")
        return None
    return moment


def _date(value: Any, header: str, fail: Any) -> dt.date | None:
    if not _present(value):
        fail(header, "必填，不能为空")
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().replace("/", "-")
        try:
            day = dt.date.fromisoformat(text[:10]) if len(text) >= 10 else dt.date.fromisoformat(text)
        except ValueError:
            try:
                day = dt.datetime.strptime(text, "%Y-%m-%d").date()
            except ValueError:
                fail(header, f"应为日期，如 2026-11-01，得到 “{text[:40]}”")
                return None
        if not 2000 <= day.year <= 2100:
            fail(header, "日期超出范围（2000–2100 年）")
            return None
        return day
    fail(header, f"应为日期文本，得到 {value!r}")
    return None


def _count(value: Any, header: str, fail: Any) -> int | None:
    if not _present(value):
        fail(header, "必填，不能为空")
        return None
    if isinstance(value, bool):
        fail(header, "应为非负整数")
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        # isdecimal, not isdigit: "²" is a digit int() refuses; and at most ten significant digits, so that int()
        # never meets thousands of them (it raises past 4,300).
        if not text.isdecimal() or len(text.lstrip("0")) > 10:
            fail(header, f"应为非负整数，得到 “{text[:40]}”")
            return None
        value = int(text)
    if not isinstance(value, int) or value < 0 or value > 2**31 - 1:
        fail(header, "应为非负整数")
        return None
    return value


# ---- JSON rows (the API) ----------------------------------------------------------------------------------------


def json_tables(data: Any) -> tuple[list[Table], list[RowIssue]]:
    """``{"records": [{header: value}], "paid_orders": [{header: value}]}`` as tables; errors for a wrong shape."""
    errors: list[RowIssue] = []
    if not isinstance(data, dict):
        return [], [RowIssue("", '应为对象：{"records": [...], "paid_orders": [...]}')]
    tables = []
    for key in ("records", "paid_orders"):
        rows = data.get(key, [])
        if not isinstance(rows, list):
            errors.append(RowIssue(key, "应为数组"))
            continue
        if not rows:
            continue
        headers: list[str] = []
        for i, row in enumerate(rows):
            if not isinstance(row, dict):
                errors.append(RowIssue(f"{key}[{i}]", "应为对象（列名 → 值）"))
                continue
            for header in row:
                if header not in headers:
                    headers.append(header)
        if errors:
            continue
        kind = "records" if key == "records" else "orders"
        tables.append(
            Table(name=key, headers=headers, rows=[[row.get(h) for h in headers] for row in rows], json=True, kind=kind)
        )
    for key in data:
        if key not in ("records", "paid_orders"):
            errors.append(RowIssue(key, "未知字段（应为 records 或 paid_orders）"))
    if not errors and not tables:
        errors.append(RowIssue("", "没有数据：records 和 paid_orders 都为空"))
    return tables, errors
