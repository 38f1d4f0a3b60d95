"""The scanner CLI of interfaces.md §1: formats, sorting, exit codes, input errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scanners.__main__ import main, run_scan
from scanners.options import ScanOptions

ROOT = Path(__file__).resolve().parents[2]


def _run(lines: list[str], *args: str, options: ScanOptions | None = None, fmt: str = "jsonl") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_scan(io.StringIO("\n".join(lines) + "\n"), out, err, fmt=fmt, options=options, color=False)
    return code, out.getvalue(), err.getvalue()


def test_jsonl_output_has_the_contract_fields_sorted_by_listing_field_start() -> None:
    lines = [
        json.dumps({"id": "L1", "title": "销量第一 最佳选择", "description": "好评返现5元"}, ensure_ascii=False),
        json.dumps({"id": "L2", "title": "普通的毛巾"}, ensure_ascii=False),
        json.dumps({"id": "L3", "title": "顶级品质"}, ensure_ascii=False),
    ]
    code, out, _ = _run(lines)
    assert code == 1
    rows = [json.loads(x) for x in out.splitlines()]
    assert [(r["listing_id"], r["field"], r["start"]) for r in rows] == [
        ("L1", "description", 0),
        ("L1", "title", 0),
        ("L1", "title", 5),
        ("L3", "title", 0),
    ]
    first = rows[1]
    assert set(first) >= {
        "listing_id",
        "rule",
        "category",
        "severity",
        "field",
        "start",
        "end",
        "text",
        "message",
        "citation",
        "suggestion",
    }
    assert first["rule"] == "extreme.ranking"
    assert first["category"] == "extreme_wording"
    assert first["severity"] == "error"
    assert first["citation"] == "广告法 第九条(三)"
    assert first["text"] == "销量第一"


def test_exit_code_is_zero_without_errors_and_one_with_errors() -> None:
    assert _run([json.dumps({"id": "A", "title": "纯棉毛巾 柔软吸水"}, ensure_ascii=False)])[0] == 0
    # A warning alone does not fail the run.
    code, out, _ = _run([json.dumps({"id": "A", "description": "原价999，现价199"}, ensure_ascii=False)])
    assert code == 0 and json.loads(out)["severity"] == "warning"
    assert _run([json.dumps({"id": "A", "title": "最佳"}, ensure_ascii=False)])[0] == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: invalid JSON"),
        # Not JSON as RFC 8259 has it: a lone surrogate cannot be written out again as UTF-8.
        ('{"id": "L", "title": "最\\ud800佳"}', "line 2: invalid JSON: no low surrogate in string (column"),
        ('{"id": "L", "title": NaN}', "line 2: invalid JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
        ('{"title": "x"}', "line 2: id: missing"),
        ('{"id": "L", "title": 5}', "line 2: title: expected a string"),
        ('{"id": "L", "specs": []}', "line 2: specs: expected an object"),
        ('{"id": "L", "specs": {"重量": [1]}}', "line 2: specs.重量: expected a string or a number"),
        ('{"id": "L", "skus": [{"name": 3}]}', "line 2: skus[0].name: expected a string"),
        ('{"id": "L", "presale": {"enabled": "yes"}}', "line 2: presale.enabled: expected true or false"),
    ],
)
def test_a_bad_line_is_a_clear_error_with_its_line_number(line: str, message: str) -> None:
    code, out, err = _run([json.dumps({"id": "OK", "title": "最佳"}, ensure_ascii=False), line])
    assert code == 2
    assert message in err
    assert out  # findings of the good first line were already written


def test_blank_lines_are_skipped_and_unknown_fields_warned_once() -> None:
    code, _, err = _run(["", json.dumps({"id": "A", "colour": "red"}), "", json.dumps({"id": "B", "colour": "blue"})])
    assert code == 0
    assert err.count("unknown field 'colour'") == 1


def test_table_format_highlights_the_text_in_its_context() -> None:
    line = json.dumps({"id": "L9", "description": "这款是我们店里卖得最好的款，全网最低价！"}, ensure_ascii=False)
    code, out, _ = _run([line], fmt="table")
    assert code == 1
    assert "【全网最低价】" in out
    assert "L9  description" in out
    assert "price.lowest_claim" in out
    assert "findings (" in out.splitlines()[-1]


def test_platform_specific_terms_apply_only_on_their_platform() -> None:
    line = json.dumps({"id": "P", "title": "聚划算爆款"}, ensure_ascii=False)
    assert _run([line])[1] == ""
    _, out, _ = _run([line], options=ScanOptions(platform="pdd"))
    assert json.loads(out)["rule"] == "price.platform_activity"
    assert _run([line], options=ScanOptions(platform="tmall"))[1] == ""


def test_main_reads_a_file_and_reports_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text(json.dumps({"id": "F", "title": "国家级产品"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["scan", str(data)]) == 1
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["listing_id"] == "F"
    assert "国家级" in line  # UTF-8 text as it is, not \u escapes
    assert main(["scan", str(tmp_path / "missing.jsonl")]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["scan", str(data), "--format", "xml"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["scan", str(data), "--platform", "amazon"])
    assert exc.value.code == 2


def test_shop_lexicon_file_adds_allowed_names_and_terms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lexicon = tmp_path / "shop.toml"
    lexicon.write_text(
        'allow = ["最生活"]\n[[extra_terms]]\nterm = "爆款之王"\nseverity = "warning"\nmessage = "本店禁用：{text}"\n',
        encoding="utf-8",
    )
    data = tmp_path / "in.jsonl"
    data.write_text(
        json.dumps({"id": "S", "title": "最生活 毛巾 爆款之王"}, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    assert main(["scan", str(data), "--shop-lexicon", str(lexicon)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [(r["rule"], r["text"], r["severity"]) for r in rows] == [("shop.extra_term", "爆款之王", "warning")]
    bad = tmp_path / "bad.toml"
    bad.write_text('allow = "x"\n', encoding="utf-8")
    assert main(["scan", str(data), "--shop-lexicon", str(bad)]) == 2


def test_python_dash_m_scanners_from_stdin() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "scanners", "scan", "-", "--format", "jsonl"],
        input=json.dumps({"id": "X", "title": "ＮＯ．１ 的选择"}, ensure_ascii=False) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    row = json.loads(proc.stdout)
    assert row["text"] == "ＮＯ．１" and row["start"] == 0 and row["end"] == 4


def _mixed_lines() -> list[str]:
    """Listings with wording and spec findings, clean ones, blank lines and unknown fields."""
    rows: list[dict[str, object]] = [
        {"id": "J1", "title": "销量第一 最佳选择", "description": "好评返现5元"},
        {"id": "J2", "title": "东北大米 三斤装", "specs": {"净含量": "1kg"}, "colour": "white"},
        {"id": "J3", "title": "纯棉毛巾 柔软吸水"},
        {"id": "J4", "category": "food", "title": "坚果礼盒 500g", "specs": {"净含量": "1kg", "产地": "浙江"}},
        {"id": "J5", "description": "原价999，现价199", "size": "L", "colour": "red"},
        {"id": "J6", "title": "國家級品質，最 佳選擇", "skus": [{"name": "250g"}, {"name": "500g"}]},
        {"id": "J7", "presale": {"enabled": True, "label": "预售 尽快发货"}, "title": "现货 保温杯 500ml"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows * 6]
    lines.insert(5, "")
    lines.insert(17, "   ")
    return lines


@pytest.mark.parametrize("fmt", ["jsonl", "table"])
def test_jobs_gives_the_same_output_as_one_process(fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import scanners.__main__ as cli

    monkeypatch.setattr(cli, "_CHUNK_LINES", 4)  # many chunks: their order must be kept
    lines = _mixed_lines()
    out1, err1 = io.StringIO(), io.StringIO()
    code1 = run_scan(io.StringIO("\n".join(lines) + "\n"), out1, err1, fmt=fmt, options=None, color=False)
    out2, err2 = io.StringIO(), io.StringIO()
    code2 = cli.run_scan_parallel(
        io.StringIO("\n".join(lines) + "\n"), out2, err2, fmt=fmt, options=None, color=False, jobs=2
    )
    assert code2 == code1 == 1
    assert out2.getvalue() == out1.getvalue()
    assert err2.getvalue() == err1.getvalue()
    assert err1.getvalue().count("unknown field") == 2  # colour and size, once each
    assert "spec_mismatch" in out1.getvalue()


def test_jobs_stops_at_a_bad_line_like_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import scanners.__main__ as cli

    monkeypatch.setattr(cli, "_CHUNK_LINES", 3)
    lines = _mixed_lines()
    lines.insert(10, '{"id": "BAD", "skus": [{"name": 3}]}')
    results = []
    for jobs in (1, 2):
        out, err = io.StringIO(), io.StringIO()
        stream = io.StringIO("\n".join(lines) + "\n")
        if jobs == 1:
            code = run_scan(stream, out, err, fmt="jsonl", options=None, color=False)
        else:
            code = cli.run_scan_parallel(stream, out, err, fmt="jsonl", options=None, color=False, jobs=jobs)
        results.append((code, out.getvalue(), err.getvalue()))
    assert results[1] == results[0]
    code, out, err = results[0]
    assert code == 2 and "error: line 11: skus[0].name: expected a string" in err and out


def test_main_jobs_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "in.jsonl"
    data.write_text("\n".join(_mixed_lines()) + "\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2", "0"):
        assert main(["scan", str(data), "--jobs", jobs, "--platform", "pdd"]) == 1
        outputs.append(capsys.readouterr())
    assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
    with pytest.raises(SystemExit) as exc:
        main(["scan", str(data), "--jobs", "-1"])
    assert exc.value.code == 2
