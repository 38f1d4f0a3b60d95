"""Catalogue spreadsheets (XLSX or CSV, as shops export them from a platform's back office) → a readiness bundle.

Pure: no Django, no database. The web layer hands in the shop's current data as a bundle (JSON-ready dict,
:func:`bundle_to_json` of ``selectors.readiness_input``), the table read from the upload and the column
mapping; out comes the same bundle with the spreadsheet's rows applied, ready for ``import_job_create`` — so a
spreadsheet goes through exactly the validation and import of a JSON bundle.

How rows are applied:

- One row is one SKU; rows with the same 商品ID are the SKUs of one listing. Listing columns (title,
  category, specs …) may be repeated on every row of a listing but must then agree.
- A listing or SKU already in the shop is updated; one that is not is added. Listings and SKUs the
  spreadsheet does not mention are kept as they are (a spreadsheet may cover part of a catalogue).
- An empty cell leaves the current value unchanged. A new SKU must have a price and a stock.
- Without an SKU-code column, a row updates the listing's only SKU (or creates one coded like the listing).

Every problem is reported with its spreadsheet row number (as the spreadsheet program shows it) and the
column's header, all at once; the caller imports nothing when there is any.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import TypeAdapter

from readiness.categories import category_code
from readiness.imports.bundle import Bundle

MAX_ROWS = 200_000
MAX_ISSUES = 200
# Columns read from a sheet: far more than any catalogue has. The cells to the right are not read at all, so a
# sheet that claims (or has) cells out to column XFD costs no more than one that stops here.
MAX_COLUMNS = 256
# Digits in a number cell: more than any stock or price (int() of thousands of digits is refused by Python).
MAX_DIGITS = 30
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def gettext_noop(message: str) -> str:
    """Marks a message for translation (``makemessages`` collects it); the web layer translates it when shown."""
    return message


# ---- what a column can mean ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldSpec:
    key: str
    label: str  # Chinese, marked for translation
    level: str  # "listing" or "sku"
    kind: str  # text, code, money, count, bool, date
    path: str  # where the value goes, relative to the listing or SKU object of the bundle
    synonyms: tuple[str, ...] = ()
    max_length: int | None = None


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "listing_id",
        gettext_noop("商品ID"),
        "listing",
        "code",
        "id",
        ("商品ID", "商品id", "宝贝ID", "商品编号", "产品ID", "SPUID", "商品SPUID", "listing_id", "id"),
        64,
    ),
    FieldSpec(
        "title", gettext_noop("商品标题"), "listing", "text", "title", ("商品标题", "宝贝标题", "商品名称", "标题"), 500
    ),
    FieldSpec("subtitle", gettext_noop("副标题"), "listing", "text", "subtitle", ("副标题", "卖点", "宝贝卖点"), 500),
    FieldSpec(
        "description",
        gettext_noop("详情描述"),
        "listing",
        "text",
        "description",
        ("详情描述", "商品详情", "宝贝描述", "商品描述", "描述", "详情"),
        100_000,
    ),
    FieldSpec("category", gettext_noop("类目"), "listing", "text", "category", ("类目", "商品类目", "分类"), 64),
    FieldSpec("presale", gettext_noop("是否预售"), "listing", "bool", "presale.enabled", ("是否预售", "预售")),
    FieldSpec(
        "ship_by",
        gettext_noop("预售发货日期"),
        "listing",
        "date",
        "presale.ship_by",
        ("预售发货日期", "预售发货时间", "最晚发货日期", "发货时间", "发货日期"),
    ),
    FieldSpec(
        "presale_label",
        gettext_noop("预售标签"),
        "listing",
        "text",
        "presale.label",
        ("预售标签", "预售说明", "发货说明"),
        200,
    ),
    FieldSpec(
        "sku_code",
        gettext_noop("SKU编码"),
        "sku",
        "code",
        "code",
        ("SKU编码", "SKUID", "SKU编号", "商家编码", "商家SKU编码", "规格编码", "sku_code"),
        64,
    ),
    FieldSpec(
        "sku_name", gettext_noop("SKU名称"), "sku", "text", "name", ("SKU名称", "规格名称", "销售属性", "SKU"), 200
    ),
    FieldSpec("price", gettext_noop("价格"), "sku", "money", "price", ("价格", "售价", "一口价", "销售价", "单价")),
    FieldSpec(
        "list_price", gettext_noop("划线价"), "sku", "money", "list_price", ("划线价", "原价", "市场价", "吊牌价")
    ),
    FieldSpec(
        "list_price_basis",
        gettext_noop("划线价依据"),
        "sku",
        "text",
        "list_price_basis",
        ("划线价依据", "原价依据", "划线价说明"),
        200,
    ),
    FieldSpec("stock", gettext_noop("库存"), "sku", "count", "stock", ("库存", "可售库存", "库存数量", "数量")),
    FieldSpec(
        "forecast_units",
        gettext_noop("预测销量"),
        "sku",
        "count",
        "forecast_units",
        ("预测销量", "预计销量", "备货预测", "活动预测销量"),
    ),
    FieldSpec("safety_stock", gettext_noop("安全库存"), "sku", "count", "safety_stock", ("安全库存",)),
)
FIELDS_BY_KEY = {spec.key: spec for spec in FIELDS}

# A column whose header is the name of a spec (净含量 …) goes into the listing's spec table under that name.
SPEC = "spec"
SPEC_LABEL = gettext_noop("规格参数（以列名为参数名）")
# A column that is not imported.
IGNORE = ""
IGNORE_LABEL = gettext_noop("不导入")
SPEC_PREFIXES = ("规格参数:", "规格参数：", "参数:", "参数：", "属性:", "属性：")
SPEC_NAMES = ("净含量", "毛重", "净重", "保质期", "产地", "等级", "重量", "容量", "尺寸", "材质", "包装", "品名")

CHOICES: tuple[tuple[str, str], ...] = (
    (IGNORE, IGNORE_LABEL),
    *((spec.key, spec.label) for spec in FIELDS),
    (SPEC, SPEC_LABEL),
)


# ---- problems ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowIssue:
    """One problem, by spreadsheet row (1-based, None for the whole file) and column header (None: whole row).

    ``template`` is a Chinese message with ``{name}`` placeholders filled from ``params``: the web layer
    translates the template, then formats it.
    """

    row: int | None
    column: str | None
    template: str
    params: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None  # the bundle's JSON path, when the problem was found by bundle validation

    @property
    def message(self) -> str:
        return self.template.format(**self.params)

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"第 {self.row} 行")
        if self.column:
            where.append(f"「{self.column}」")
        if self.path and self.row is None:
            where.append(self.path)
        return f"{' '.join(where)}：{self.message}" if where else self.message


class CatalogueError(Exception):
    """A spreadsheet that cannot be used (unreadable, no header, bad mapping)."""

    def __init__(self, issues: Sequence[RowIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues))


# ---- reading the file ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Table:
    """A sheet: its header cells, and the non-empty rows below with their spreadsheet row numbers."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[Any, ...]], ...]


def read_table(data: bytes, filename: str) -> Table:
    """Read the first sheet of an XLSX file, or a CSV file (UTF-8 with or without BOM, or GB18030 as Chinese
    Excel saves it; comma, tab or semicolon separated). The header is the first non-empty row."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        raw_rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt", ".tsv")):
        raw_rows = _csv_rows(data)
    else:
        raise CatalogueError([RowIssue(None, None, gettext_noop("只支持 .xlsx 和 .csv 表格文件"))])
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in raw_rows:
        if all(_blank(v) for v in values):
            continue
        _refuse_unstorable(number, values)
        if header is None:
            header = tuple(_header_text(v) for v in values)
            continue
        if len(rows) >= MAX_ROWS:
            raise CatalogueError(
                [RowIssue(number, None, gettext_noop("表格超过 {limit} 行，请分批导入"), {"limit": MAX_ROWS})]
            )
        rows.append((number, tuple(values)))
    if header is None:
        raise CatalogueError([RowIssue(None, None, gettext_noop("表格是空的：第一行应为列名（如 商品ID、商品标题）"))])
    while header and not header[-1]:
        header = header[:-1]
    return Table(headers=header, rows=tuple(rows))


def _refuse_unstorable(number: int, values: Sequence[Any]) -> None:
    """A NUL or a lone surrogate in any cell (a header too, even of a column not imported) cannot be stored or
    shown: the file is refused here, before anything is remembered or queued."""
    for value in values:
        if isinstance(value, str) and _UNSTORABLE.search(value):
            raise CatalogueError(
                [RowIssue(number, None, gettext_noop("第 {row} 行有无法保存的字符（空字符）"), {"row": number})]
            )


def _xlsx_rows(data: bytes) -> Iterable[tuple[int, tuple[Any, ...]]]:
    import openpyxl  # imported here: CSV users never pay for it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (zipfile, KeyError, XML errors) for a bad file
        raise _unreadable(exc) from None
    try:
        sheet = book.worksheets[0]
        # Read-only mode trusts the sheet's <dimension>: a false one pads every row out to its last column (a
        # 28 kB file claiming A1:XFD3001 took 400 MB) or cuts rows off. Read the cells that are there instead,
        # at most MAX_COLUMNS wide.
        sheet.reset_dimensions()
        out = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
            end = len(row)
            while end and row[end - 1] is None:  # openpyxl pads each row to max_col
                end -= 1
            out.append((number, tuple(row[:end])))
            if len(out) > MAX_ROWS + 1000:  # blank rows are skipped later; this bounds what is held
                raise CatalogueError(
                    [RowIssue(number, None, gettext_noop("表格超过 {limit} 行，请分批导入"), {"limit": MAX_ROWS})]
                )
    except CatalogueError:
        raise
    except Exception as exc:  # malformed sheet XML, a number cell no one can read …: the file, not a 500
        raise _unreadable(exc) from None
    finally:
        book.close()
    return out


def _unreadable(exc: Exception) -> CatalogueError:
    return CatalogueError(
        [RowIssue(None, None, gettext_noop("无法读取 Excel 文件：{error}"), {"error": type(exc).__name__})]
    )


def _csv_rows(data: bytes) -> Iterable[tuple[int, tuple[Any, ...]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # gb18030 decodes most byte strings, not all: b"\xff" is no character in it
        raise CatalogueError([RowIssue(None, None, gettext_noop("无法识别文件编码（应为 UTF-8 或 GBK）"))])
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return [(reader.line_num, tuple(row)) for row in reader]
    except csv.Error as exc:
        raise CatalogueError(
            [RowIssue(reader.line_num, None, gettext_noop("CSV 格式错误：{error}"), {"error": str(exc)})]
        ) from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# ---- the column mapping ----------------------------------------------------------------------------------


def _squash(text: str) -> str:
    """Header text compared loosely: case, spaces, brackets and punctuation do not matter."""
    return re.sub(r"[\s()（）\[\]【】_\-:：/]", "", text).lower()


_SYNONYMS = {_squash(word): spec.key for spec in FIELDS for word in spec.synonyms}


def guess_mapping(headers: Sequence[str], remembered: Mapping[str, str] | None = None) -> list[str]:
    """The field of each column: the shop's remembered mapping first (by exact header), then known header
    names (商品ID, 商品标题, 库存, 价格 …), then spec names; everything else is not imported."""
    remembered = remembered or {}
    known = {key for key, _ in CHOICES}
    out: list[str] = []
    used: set[str] = set()
    for header in headers:
        choice = remembered.get(header)
        if choice is None or choice not in known:
            squashed = _squash(header)
            choice = _SYNONYMS.get(squashed)
            if choice is None:
                if header.startswith(SPEC_PREFIXES) or header in SPEC_NAMES:
                    choice = SPEC
                else:
                    choice = IGNORE
        if choice not in (SPEC, IGNORE) and choice in used:
            choice = IGNORE  # a second column with the same meaning is left for the user to decide
        used.add(choice)
        out.append(choice)
    return out


def mapping_issues(headers: Sequence[str], mapping: Sequence[str]) -> list[RowIssue]:
    """What is wrong with a mapping (one field per column, 商品ID mapped exactly once)."""
    issues = []
    known = {key for key, _ in CHOICES}
    columns: dict[str, list[str]] = {}
    for header, choice in zip(headers, mapping, strict=False):
        if choice not in known:
            issues.append(RowIssue(None, header, gettext_noop("未知的字段：{field}"), {"field": choice}))
        elif choice not in (SPEC, IGNORE):
            columns.setdefault(choice, []).append(header)
        if choice == SPEC and not spec_name(header):
            issues.append(RowIssue(None, header, gettext_noop("列名为空，不能作为规格参数名")))
    if "listing_id" not in columns:
        issues.append(RowIssue(None, None, gettext_noop("必须有一列对应「商品ID」")))
    for key, headers_of in columns.items():
        if len(headers_of) > 1:
            issues.append(
                RowIssue(
                    None,
                    None,
                    gettext_noop("「{field}」对应了多列：{columns}"),
                    {"field": FIELDS_BY_KEY[key].label, "columns": "、".join(headers_of)},
                )
            )
    return issues


def spec_name(header: str) -> str:
    for prefix in SPEC_PREFIXES:
        if header.startswith(prefix):
            return header[len(prefix) :].strip()
    return header.strip()


def mapping_to_store(headers: Sequence[str], mapping: Sequence[str]) -> dict[str, str]:
    """The mapping as remembered for a shop: header text → field (ignored columns included, so that a column
    the user chose not to import stays ignored next time)."""
    return {header: choice for header, choice in zip(headers, mapping, strict=False) if header}


# ---- cell values ------------------------------------------------------------------------------------------


class _Bad(Exception):
    def __init__(self, template: str, **params: Any) -> None:
        self.template = template
        self.params = params


def _text(value: Any) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


_MONEY_NOISE = re.compile(r"[¥￥元,，\s]|RMB|CNY", re.IGNORECASE)


def _money(value: Any) -> str:
    if isinstance(value, bool):
        raise _Bad(gettext_noop("不是有效的金额：{value}"), value=value)
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        cleaned = _MONEY_NOISE.sub("", str(value))
        if len(cleaned) > MAX_DIGITS + 3:
            raise _Bad(gettext_noop("数值过大：{value}"), value=_short(value))
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise _Bad(gettext_noop("不是有效的金额：{value}"), value=_short(value)) from None
    if not amount.is_finite():
        raise _Bad(gettext_noop("不是有效的金额：{value}"), value=_short(value))
    if amount.adjusted() >= 10:  # the column holds 12 digits, two after the point (1E+100 is a number too)
        raise _Bad(gettext_noop("数值过大：{value}"), value=_short(value))
    if amount < 0:
        raise _Bad(gettext_noop("金额不能为负数：{value}"), value=str(value).strip())
    cents = amount.quantize(Decimal("0.01"))
    if abs(cents - amount) > Decimal("0.000001"):  # a float cell may carry binary noise, not real fractions
        raise _Bad(gettext_noop("金额最多两位小数：{value}"), value=str(value).strip())
    return str(cents)


def _count(value: Any) -> int:
    if isinstance(value, bool):
        raise _Bad(gettext_noop("不是整数：{value}"), value=value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise _Bad(gettext_noop("不是整数：{value}"), value=value)
        number = int(value)
    else:
        cleaned = re.sub(r"[,，\s件个]", "", str(value))
        if re.fullmatch(r"-?\d+(\.0+)?", cleaned) is None:
            raise _Bad(gettext_noop("不是整数：{value}"), value=_short(value))
        digits = cleaned.lstrip("-").split(".")[0].lstrip("0")
        if len(digits) > MAX_DIGITS:  # int() of thousands of digits raises; float() of hundreds is infinite
            raise _Bad(gettext_noop("数值过大：{value}"), value=_short(value))
        number = int(cleaned.split(".")[0])
    if number < 0:
        raise _Bad(gettext_noop("不能为负数：{value}"), value=number)
    if number > 2**31 - 1:
        raise _Bad(gettext_noop("数值过大：{value}"), value=_short(number))
    return number


def _short(value: Any) -> str:
    """A cell's value as an error message quotes it: at most 40 characters (a cell may hold 32,767)."""
    if isinstance(value, int) and value.bit_length() > 128:  # str() of a 5,000-digit int raises
        return "…"
    text = str(value).strip()
    return text if len(text) <= 40 else text[:39] + "…"


_TRUE = {"是", "y", "yes", "true", "1", "预售", "√", "✓", "on"}
_FALSE = {"否", "n", "no", "false", "0", "非预售", "×", "off", "现货"}


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(int(value)) if float(value).is_integer() else text
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Bad(gettext_noop("应填“是”或“否”：{value}"), value=str(value).strip())


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    match = _DATE.match(str(value).strip())
    if match is not None:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            pass
    raise _Bad(gettext_noop("不是有效日期（应如 2026-11-15）：{value}"), value=str(value).strip())


def _parse(spec: FieldSpec, value: Any) -> Any:
    if spec.kind == "money":
        return _money(value)
    if spec.kind == "count":
        return _count(value)
    if spec.kind == "bool":
        return _bool(value)
    if spec.kind == "date":
        return _date(value)
    text = _text(value) or ""
    if spec.max_length is not None and len(text) > spec.max_length:
        raise _Bad(gettext_noop("最多 {limit} 个字符，这里有 {length} 个"), limit=spec.max_length, length=len(text))
    return text


# ---- applying rows to the bundle ---------------------------------------------------------------------------


def bundle_to_json(data: Bundle) -> dict[str, Any]:
    """A :class:`readiness.imports.bundle.Bundle` as the JSON object of interfaces.md §2 (money as decimal strings)."""
    result: dict[str, Any] = _BUNDLE_ADAPTER.dump_python(data, mode="json")
    return result


_BUNDLE_ADAPTER = TypeAdapter(Bundle)


@dataclass(slots=True)
class CatalogueResult:
    """The bundle with the spreadsheet applied, the problems found, and where each bundle item came from."""

    bundle: dict[str, Any]
    issues: list[RowIssue]
    listings_updated: int = 0
    listings_added: int = 0
    skus_updated: int = 0
    skus_added: int = 0
    listings_archived: int = 0
    # "listings[3]" / "listings[3].skus[1]" → spreadsheet row; bundle path suffix → column header
    rows_by_path: dict[str, int] = field(default_factory=dict)
    headers_by_path: dict[str, str] = field(default_factory=dict)

    def locate(self, path: str) -> tuple[int | None, str | None]:
        """The spreadsheet row and column of a bundle JSON path (``listings[3].skus[0].price``), if it came
        from the spreadsheet."""
        match = _PATH.match(path)
        if match is None:
            return None, None
        listing, sku, rest = match["listing"], match["sku"], match["rest"] or ""
        if sku is not None:
            row = self.rows_by_path.get(f"listings[{listing}].skus[{sku}]")
            column = self.headers_by_path.get(f"sku:{rest.split('[')[0]}")
        else:
            row = self.rows_by_path.get(f"listings[{listing}]")
            key = rest.split("[")[0]
            column = self.headers_by_path.get(f"listing:{key}")
            if column is None and key.startswith("specs."):
                column = self.headers_by_path.get(f"spec:{key[len('specs.') :]}")
        return row, column

    def translate(self, path: str, message: str) -> RowIssue:
        """A bundle validation error as a row issue (with the JSON path kept for errors outside the sheet)."""
        row, column = self.locate(path)
        return RowIssue(row, column, "{message}", {"message": message}, path=path)


_PATH = re.compile(r"^listings\[(?P<listing>\d+)\](?:\.skus\[(?P<sku>\d+)\])?(?:\.(?P<rest>.+))?$")


def apply_table(
    base: Mapping[str, Any], table: Table, mapping: Sequence[str], *, off_shelf: Collection[str] = ()
) -> CatalogueResult:
    """Apply a spreadsheet's rows to a bundle (JSON dict, not modified); see the module docstring.

    ``off_shelf``: listing ids the file says are not on sale (a platform export's 仓库中 items): they are taken
    out of the bundle, so the import archives the ones the shop had (``listings_archived``)."""
    problems = mapping_issues(table.headers, mapping)
    if problems:
        raise CatalogueError(problems)
    bundle = _copy_bundle(base)
    result = CatalogueResult(bundle=bundle, issues=[])
    if off_shelf:
        gone = set(off_shelf)
        kept = [listing for listing in bundle["listings"] if listing["id"] not in gone]
        result.listings_archived = len(bundle["listings"]) - len(kept)
        bundle["listings"] = kept
    columns = [(i, choice) for i, choice in enumerate(mapping) if choice != IGNORE and i < len(table.headers)]
    header_of = {choice: table.headers[i] for i, choice in columns if choice != SPEC}
    for choice, header in header_of.items():
        spec = FIELDS_BY_KEY[choice]
        result.headers_by_path[f"{spec.level}:{spec.path}"] = header
    for i, choice in columns:
        if choice == SPEC:
            result.headers_by_path[f"spec:{spec_name(table.headers[i])}"] = table.headers[i]
    if not table.rows and not off_shelf:
        result.issues.append(RowIssue(None, None, gettext_noop("表格中没有数据行")))
        return result

    groups: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = {}
    id_index = next(i for i, choice in columns if choice == "listing_id")
    for number, values in table.rows:
        parsed: dict[str, Any] = {}
        specs: dict[str, str] = {}
        for i, choice in columns:
            value = values[i] if i < len(values) else None
            if _blank(value):
                continue
            header = table.headers[i]
            if choice == SPEC:
                text = _text(value) or ""
                if len(text) > 500:
                    _add(result, RowIssue(number, header, gettext_noop("最多 {limit} 个字符"), {"limit": 500}))
                specs[spec_name(header)] = text
                continue
            try:
                parsed[choice] = _parse(FIELDS_BY_KEY[choice], value)
            except _Bad as bad:
                _add(result, RowIssue(number, header, bad.template, bad.params))
        listing_id = parsed.get("listing_id")
        if not listing_id:
            if not (id_index < len(values) and not _blank(values[id_index])):
                _add(result, RowIssue(number, table.headers[id_index], gettext_noop("商品ID 不能为空")))
            continue
        groups.setdefault(listing_id, []).append((number, parsed, specs))

    listings = bundle["listings"]
    index_of = {listing["id"]: i for i, listing in enumerate(listings)}
    for listing_id, rows in groups.items():
        if listing_id in index_of:
            position = index_of[listing_id]
            listing = listings[position]
            result.listings_updated += 1
        else:
            listing = {"id": listing_id, "specs": {}, "skus": []}
            listings.append(listing)
            position = index_of[listing_id] = len(listings) - 1
            result.listings_added += 1
        result.rows_by_path[f"listings[{position}]"] = rows[0][0]
        _apply_listing_fields(result, listing, rows, header_of)
        _apply_skus(result, listing, position, rows, header_of)
    return result


def _add(result: CatalogueResult, issue: RowIssue) -> None:
    if len(result.issues) < MAX_ISSUES:
        result.issues.append(issue)


def _copy_bundle(base: Mapping[str, Any]) -> dict[str, Any]:
    import copy

    return copy.deepcopy(dict(base))


def _agreed(
    result: CatalogueResult,
    rows: Sequence[tuple[int, dict[str, Any], dict[str, str]]],
    pick: Callable[[dict[str, Any], dict[str, str]], Any],
    column: str,
) -> Any:
    """The value of a listing-level column over a listing's rows: empty cells are skipped, others must agree."""
    found: tuple[int, Any] | None = None
    for number, parsed, specs in rows:
        value = pick(parsed, specs)
        if value is None:
            continue
        if found is None:
            found = (number, value)
        elif found[1] != value:
            _add(
                result,
                RowIssue(
                    number,
                    column,
                    gettext_noop("同一商品第 {other} 行填的是“{first}”，这里是“{value}”，两者必须一致"),
                    {"other": found[0], "first": _short(found[1]), "value": _short(value)},
                ),
            )
    return found[1] if found is not None else None


def _cell(key: str) -> Callable[[dict[str, Any], dict[str, str]], Any]:
    def pick(parsed: dict[str, Any], _specs: dict[str, str]) -> Any:
        return parsed.get(key)

    return pick


def _spec_cell(name: str) -> Callable[[dict[str, Any], dict[str, str]], Any]:
    def pick(_parsed: dict[str, Any], specs: dict[str, str]) -> Any:
        return specs.get(name)

    return pick


def _apply_listing_fields(
    result: CatalogueResult,
    listing: dict[str, Any],
    rows: Sequence[tuple[int, dict[str, Any], dict[str, str]]],
    header_of: Mapping[str, str],
) -> None:
    for key in ("title", "subtitle", "description", "category"):
        if key in header_of:
            value = _agreed(result, rows, _cell(key), header_of[key])
            if value is not None:
                # a platform's category text (茶叶, 食品>茶叶>红茶) is stored as the product's category code
                listing[key] = category_code(value) if key == "category" else value
    spec_names = {name for _, _, specs in rows for name in specs}
    if spec_names:
        specs = dict(listing.get("specs") or {})
        for name in sorted(spec_names):
            value = _agreed(result, rows, _spec_cell(name), result.headers_by_path.get(f"spec:{name}", name))
            if value is not None:
                specs[name] = value
        listing["specs"] = specs
    presale_keys = [key for key in ("presale", "ship_by", "presale_label") if key in header_of]
    if presale_keys:
        presale = dict(listing.get("presale") or {"enabled": False, "ship_by": None, "label": ""})
        for key, target in (("presale", "enabled"), ("ship_by", "ship_by"), ("presale_label", "label")):
            if key in header_of:
                value = _agreed(result, rows, _cell(key), header_of[key])
                if value is not None:
                    presale[target] = value
        # A presale without a ship date is imported: the presale check reports it (bundle validation decides).
        listing["presale"] = presale


def _apply_skus(
    result: CatalogueResult,
    listing: dict[str, Any],
    position: int,
    rows: Sequence[tuple[int, dict[str, Any], dict[str, str]]],
    header_of: Mapping[str, str],
) -> None:
    skus: list[dict[str, Any]] = listing.setdefault("skus", [])
    sku_index = {sku["code"]: j for j, sku in enumerate(skus)}
    sku_keys = [spec.key for spec in FIELDS if spec.level == "sku" and spec.key != "sku_code" and spec.key in header_of]
    seen: dict[str, int] = {}
    code_column = header_of.get("sku_code")
    for number, parsed, _specs in rows:
        code = parsed.get("sku_code")
        if code is None and all(parsed.get(key) is None for key in sku_keys):
            continue  # a row with listing columns only (title, specs …) leaves the SKUs alone
        if code is None:
            if len(rows) > 1:
                _add(
                    result,
                    RowIssue(
                        number, code_column, gettext_noop("同一商品有多行（多个 SKU）时，每行都必须填写 SKU 编码")
                    ),
                )
                continue
            if len(skus) > 1:
                _add(
                    result,
                    RowIssue(
                        number,
                        code_column,
                        gettext_noop("该商品已有 {count} 个 SKU，请填写 SKU 编码以指明更新哪一个"),
                        {"count": len(skus)},
                    ),
                )
                continue
            code = skus[0]["code"] if skus else listing["id"]
        if code in seen:
            _add(
                result,
                RowIssue(
                    number,
                    code_column,
                    gettext_noop("SKU 编码 {code} 已在第 {other} 行出现"),
                    {"code": code, "other": seen[code]},
                ),
            )
            continue
        seen[code] = number
        if code in sku_index:
            j = sku_index[code]
            sku = skus[j]
            result.skus_updated += 1
        else:
            sku = {"code": code, "name": ""}
            missing = [key for key in ("price", "stock") if parsed.get(key) is None]
            for key in missing:
                _add(
                    result,
                    RowIssue(
                        number,
                        header_of.get(key),
                        gettext_noop("新 SKU {code} 必须填写{field}"),
                        {"code": code, "field": FIELDS_BY_KEY[key].label},
                    ),
                )
            if missing:
                continue
            skus.append(sku)
            j = sku_index[code] = len(skus) - 1
            result.skus_added += 1
        for key in sku_keys:
            if parsed.get(key) is not None:
                sku[FIELDS_BY_KEY[key].path] = parsed[key]
        result.rows_by_path[f"listings[{position}].skus[{j}]"] = number


# ---- the template offered for download ---------------------------------------------------------------------

TEMPLATE_EXAMPLE: dict[str, Any] = {
    "listing_id": "L100",
    "title": "武夷山正山小种红茶 250g",
    "subtitle": "桐木关松烟香",
    "description": "产自福建武夷山桐木关，松烟香，桂圆汤味。",
    "category": "茶叶",
    "presale": "否",
    "ship_by": None,
    "presale_label": None,
    "sku_code": "L100-1",
    "sku_name": "罐装 250g",
    "price": 128,
    "list_price": None,
    "list_price_basis": None,
    "stock": 300,
    "forecast_units": 120,
    "safety_stock": 20,
}


def template_xlsx() -> bytes:
    """An XLSX with one column per field under the Chinese header the mapping recognises, a spec column (净含量)
    and an example row: filled in and uploaded, it imports without choosing any column."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商品"
    headers = [spec.label for spec in FIELDS] + ["净含量"]
    sheet.append(headers)
    sheet.append([TEMPLATE_EXAMPLE.get(spec.key) for spec in FIELDS] + ["250g"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, header in enumerate(headers, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = max(10, 2 * len(header) + 4)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
