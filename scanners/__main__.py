"""The scanner CLI (interfaces.md §1).

    python -m scanners scan [PATH|-] [--format jsonl|table] [--platform tmall|taobao|pdd|jd|douyin]
                            [--shop-lexicon FILE] [--jobs N] [--no-images]

Reads JSON Lines (one listing per line, only ``id`` required), writes one finding per line sorted by
field and start within each listing (listings in input order). Exit code 0 when nothing at ``error``
severity was found, 1 when something was, 2 on bad input or usage.

``--jobs N`` scans chunks of lines in N worker processes (0: one per CPU); the output is the same, byte for
byte, as with one process.

A listing's ``images`` with a ``path`` (relative to the input file's folder) are read with OCR and their
text scanned like the text fields (findings on ``images[<i>]`` with ``box`` and ``image_text``);
``--no-images`` skips them. ``url`` images are left to the workers.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn

import orjson

from scanners.findings import Finding, Severity
from scanners.image_files import ImageFiles, check_images
from scanners.listing import scan_listing
from scanners.options import ScanOptions
from scanners.terms import PLATFORMS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

# Fields of a listing the scanners know; anything else is ignored with one warning per name.
_KNOWN_FIELDS = frozenset(
    {"id", "category", "title", "subtitle", "description", "specs", "presale", "gifts", "rebates", "skus", "images"}
)
_STRING_FIELDS = ("category", "title", "subtitle", "description")


class InputError(ValueError):
    """A bad input line; the message names the JSON path."""


def _check_listing(obj: Any) -> Mapping[str, Any]:
    """Validate the shape the scanners rely on; wrong types are errors that name the JSON path."""
    if not isinstance(obj, dict):
        raise InputError(f"expected a JSON object (a listing), got {type(obj).__name__}")
    if "id" not in obj or obj["id"] is None or obj["id"] == "":
        raise InputError("id: missing (every listing needs an id)")
    if not isinstance(obj["id"], (str, int)) or isinstance(obj["id"], bool):
        raise InputError("id: expected a string")
    for name in _STRING_FIELDS:
        if name in obj and obj[name] is not None and not isinstance(obj[name], str):
            raise InputError(f"{name}: expected a string, got {type(obj[name]).__name__}")
    specs = obj.get("specs")
    if specs is not None:
        if not isinstance(specs, dict):
            raise InputError(f"specs: expected an object, got {type(specs).__name__}")
        for k, v in specs.items():
            if type(v) is not str and v is not None and (not isinstance(v, (str, int, float)) or isinstance(v, bool)):
                raise InputError(f"specs.{k}: expected a string or a number, got {type(v).__name__}")
    for list_name in ("skus", "gifts", "rebates"):
        items = obj.get(list_name)
        if items is None:
            continue
        if not isinstance(items, list):
            raise InputError(f"{list_name}: expected an array, got {type(items).__name__}")
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                raise InputError(f"{list_name}[{i}]: expected an object, got {type(item).__name__}")
            for text_field in ("name", "text"):
                v = item.get(text_field)
                if v is not None and not isinstance(v, str):
                    raise InputError(f"{list_name}[{i}].{text_field}: expected a string, got {type(v).__name__}")
    presale = obj.get("presale")
    if presale is not None:
        if not isinstance(presale, dict):
            raise InputError(f"presale: expected an object, got {type(presale).__name__}")
        enabled = presale.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            raise InputError(f"presale.enabled: expected true or false, got {type(enabled).__name__}")
        label = presale.get("label")
        if label is not None and not isinstance(label, str):
            raise InputError(f"presale.label: expected a string, got {type(label).__name__}")
    try:
        check_images(obj.get("images"))
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    return obj


def _parse_line(lineno: int, line: str) -> Mapping[str, Any]:
    try:
        # orjson: strict RFC 8259 (no NaN, no lone surrogates, which could not be written out again) and
        # its errors are json.JSONDecodeError with the same msg/colno.
        obj = orjson.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {lineno}: invalid JSON: {exc.msg} (column {exc.colno})") from exc
    try:
        return _check_listing(obj)
    except InputError as exc:
        raise InputError(f"line {lineno}: {exc}") from exc


def _listings(stream: IO[str], warn: IO[str]) -> Iterator[tuple[int, Mapping[str, Any]]]:
    warned: set[str] = set()
    for lineno, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        listing = _parse_line(lineno, line)
        for name in listing:
            if name not in _KNOWN_FIELDS and name not in warned:
                warned.add(name)
                warn.write(f"warning: line {lineno}: unknown field {name!r} ignored\n")
        yield lineno, listing


def _context(value: str, start: int, end: int, color: bool, width: int = 16) -> str:
    left = value[max(0, start - width) : start]
    right = value[end : end + width]
    hit = value[start:end]
    mark = f"\x1b[1;31m{hit}\x1b[0m" if color else f"【{hit}】"
    text = ("…" if start > width else "") + left + mark + right + ("…" if end + width < len(value) else "")
    return text.replace("\n", "⏎").replace("\r", "")


def _table_rows(findings: Sequence[Finding], values: Mapping[str, str], color: bool) -> list[str]:
    rows: list[str] = []
    for f in findings:
        sev = f.severity.value
        if color:
            code = {"error": "31", "warning": "33", "info": "36"}[sev]
            sev = f"\x1b[{code}m{sev:<7}\x1b[0m"
        else:
            sev = f"{sev:<7}"
        rows.append(f"{f.listing_id}  {f.field}  [{f.start}:{f.end}]  {sev}  {f.rule}  {f.category}  {f.citation}")
        value = values.get(f.field) if f.image_text is None else f.image_text
        if value is not None:
            rows.append(f"    {_context(value, f.start, f.end, color)}")
        rows.append(f"    {f.message}")
        if f.suggestion:
            rows.append(f"    建议：{f.suggestion}")
        if f.related is not None:
            rows.append(f"    对照：{f.related.field} “{f.related.text}”")
    return rows


def _field_values(listing: Mapping[str, Any]) -> dict[str, str]:
    from scanners.listing import listing_fields

    return dict(listing_fields(listing))


def _format(findings: Sequence[Finding], listing: Mapping[str, Any], fmt: str, color: bool) -> str:
    """The output of one listing's findings (none: empty)."""
    if not findings:
        return ""
    if fmt == "jsonl":
        # orjson: one compact UTF-8 line per finding; json.dumps builds an encoder per call, which cost
        # ~7% of the CLI's time.
        return b"".join(orjson.dumps(f.to_dict(), option=orjson.OPT_APPEND_NEWLINE) for f in findings).decode()
    return "\n".join(_table_rows(findings, _field_values(listing), color)) + "\n"


def _finish(out: IO[str], fmt: str, errors: int, warnings: int, infos: int, n_listings: int) -> int:
    """The table format's summary line, and the exit code."""
    if fmt == "table":
        out.write(
            f"{errors + warnings + infos} findings ({errors} errors, {warnings} warnings, {infos} info) "
            f"in {n_listings} listings\n"
        )
    return EXIT_FINDINGS if errors else EXIT_OK


# The listing pictures of this run (None: --no-images); set by main() before any worker is forked.
_images: ImageFiles | None = None


def _scan(listing: Mapping[str, Any], options: ScanOptions | None) -> list[Finding]:
    """The findings of one listing: its text fields, then its pictures (when images are read)."""
    findings = scan_listing(listing, options)
    if _images is not None and listing.get("images"):
        findings.extend(_images.findings(listing, options))
        findings.sort(key=Finding.sort_key)
    return findings


def run_scan(stream: IO[str], out: IO[str], err: IO[str], *, fmt: str, options: ScanOptions | None, color: bool) -> int:
    """Scan every listing of ``stream``; return the exit code."""
    counts = dict.fromkeys(Severity, 0)
    n_listings = 0
    try:
        for _, listing in _listings(stream, err):
            n_listings += 1
            findings = _scan(listing, options)
            for f in findings:
                counts[f.severity] += 1
            if findings:
                out.write(_format(findings, listing, fmt, color))
    except InputError as exc:
        out.flush()
        err.write(f"error: {exc}\n")
        return EXIT_USAGE
    return _finish(out, fmt, counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO], n_listings)


# --------------------------------------------------------------------------- --jobs N

# Lines per task: large enough that sending lines and results between processes costs little next to
# scanning them (~0.3 ms a listing), small enough that the workers finish together.
_CHUNK_LINES = 256
# A listing that loads everything a scan needs: the lexicon and its automaton, the unit tables (pint),
# the spec names.
_WARM_UP = {"id": "warm-up", "category": "food", "title": "最佳 坚果 500g", "specs": {"净含量": "500g"}}
# The collector's thresholds during a scan (gc.set_threshold: allocations before a young collection, and
# young and middle collections before the next older one); see main().
_GC_THRESHOLDS = (50_000, 50, 100)


@dataclass(slots=True)
class _Chunk:
    """What a worker reports for a chunk of lines, in line order."""

    # (unknown fields first seen on a line, as (line number, name); output of that line and those after it)
    segments: list[tuple[list[tuple[int, str]], str]] = field(default_factory=list)
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])  # error, warning, info
    listings: int = 0
    error: str | None = None  # a bad line: the message; the lines after it were not scanned


_SEVERITY_INDEX = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_worker_state: tuple[ScanOptions | None, str, bool] = (None, "jsonl", False)


def _init_worker(options: ScanOptions | None, fmt: str, color: bool) -> None:
    global _worker_state
    _worker_state = (options, fmt, color)
    scan_listing(_WARM_UP, options)  # nothing to do when forked from a warmed-up parent
    gc.freeze()


def _scan_chunk(task: tuple[int, list[str]] | None) -> _Chunk | None:
    """Scan one chunk of lines exactly as run_scan does, line by line; None for the end-of-input marker."""
    if task is None:
        return None
    first, lines = task
    options, fmt, color = _worker_state
    result = _Chunk()
    seen: set[str] = set()
    warnings: list[tuple[int, str]] = []
    parts: list[str] = []
    for lineno, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            listing = _parse_line(lineno, line)
        except InputError as exc:
            result.error = str(exc)
            break
        new = [(lineno, name) for name in listing if name not in _KNOWN_FIELDS and name not in seen]
        if new:
            seen.update(name for _, name in new)
            result.segments.append((warnings, "".join(parts)))
            warnings, parts = new, []
        result.listings += 1
        findings = _scan(listing, options)
        if not findings:
            continue
        for f in findings:
            result.counts[_SEVERITY_INDEX[f.severity]] += 1
        parts.append(_format(findings, listing, fmt, color))
    result.segments.append((warnings, "".join(parts)))
    return result


class _ChunkReader:
    """Numbered chunks of lines; a read error ends the chunks with a marker and is raised in order."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.failure: BaseException | None = None

    def __iter__(self) -> Iterator[tuple[int, list[str]] | None]:
        lineno = 1
        lines: list[str] = []
        try:
            for line in self.stream:
                lines.append(line)
                if len(lines) == _CHUNK_LINES:
                    yield lineno, lines
                    lineno += len(lines)
                    lines = []
        except Exception as exc:  # e.g. UnicodeDecodeError: raised once the chunks before it are written
            if lines:
                yield lineno, lines
            self.failure = exc
            yield None
            return
        if lines:
            yield lineno, lines


def default_jobs() -> int:
    """The number of CPUs this process may run on (``--jobs 0``)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork: the workers start with the parent's lexicon, automata and unit tables, built once.
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def run_scan_parallel(
    stream: IO[str], out: IO[str], err: IO[str], *, fmt: str, options: ScanOptions | None, color: bool, jobs: int
) -> int:
    """:func:`run_scan` in ``jobs`` worker processes: same output, warnings, errors and exit code."""
    counts = [0, 0, 0]
    n_listings = 0
    warned: set[str] = set()
    scan_listing(_WARM_UP, options)  # once, before the workers are forked
    reader = _ChunkReader(stream)
    with _pool_context().Pool(jobs, initializer=_init_worker, initargs=(options, fmt, color)) as pool:
        for result in pool.imap(_scan_chunk, reader):
            if result is None:
                assert reader.failure is not None
                raise reader.failure
            for warnings, text in result.segments:
                for lineno, name in warnings:
                    if name not in warned:
                        warned.add(name)
                        err.write(f"warning: line {lineno}: unknown field {name!r} ignored\n")
                if text:
                    out.write(text)
            counts = [a + b for a, b in zip(counts, result.counts, strict=True)]
            n_listings += result.listings
            if result.error is not None:
                out.flush()
                err.write(f"error: {result.error}\n")
                return EXIT_USAGE
    return _finish(out, fmt, counts[0], counts[1], counts[2], n_listings)


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of processes, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("expected 0 (one per CPU) or more")
    return n


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m scanners", description="Scan listings for wording and spec problems.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    scan = sub.add_parser("scan", help="scan JSON Lines listings")
    scan.add_argument("path", nargs="?", default="-", help="JSON Lines file, or - for standard input (default)")
    scan.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    scan.add_argument("--platform", choices=sorted(PLATFORMS))
    scan.add_argument(
        "--shop-lexicon",
        type=Path,
        help="TOML file with the shop's allow-list (allow = [...]) and extra terms ([[extra_terms]])",
    )
    scan.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="scan in N worker processes, 0 for one per CPU (default 1); the output is the same",
    )
    scan.add_argument(
        "--no-images",
        action="store_true",
        help="do not read the listings' images (by default images[].path files next to the input are read)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for s in (sys.stdout, sys.stderr):
        if hasattr(s, "reconfigure") and (s.encoding or "").lower() not in ("utf-8", "utf8"):
            s.reconfigure(encoding="utf-8")
    try:
        if args.shop_lexicon is not None:
            options: ScanOptions | None = ScanOptions.from_toml(args.shop_lexicon, platform=args.platform)
        else:
            options = ScanOptions(platform=args.platform) if args.platform else None
    except (OSError, ValueError) as exc:
        sys.stderr.write(f"error: --shop-lexicon: {exc}\n")
        return EXIT_USAGE
    color = args.format == "table" and sys.stdout.isatty()
    global _images
    if not args.no_images:
        base = Path.cwd() if args.path == "-" else Path(args.path).parent
        _images = ImageFiles(base, warn=sys.stderr)
    jobs = args.jobs or default_jobs()
    # What every scan needs, built before the first line: the lexicon and its automata, the unit tables and
    # the spec names (worker processes are forked with them). Then the collector is told that these
    # long-lived objects need no more scanning (gc.freeze): it skips them for the rest of the run, and
    # the forked workers do not copy their pages by touching them. The scan itself makes many small
    # short-lived objects and few cycles, and its memo tables grow as it goes: collecting every 700
    # allocations (the default) spent about a fifth of the CPU time of a scan of new text walking those
    # tables, so the collector runs far less often (the workers inherit the setting).
    scan_listing(_WARM_UP, options)
    gc.freeze()
    gc.set_threshold(*_GC_THRESHOLDS)

    def scan(stream: IO[str]) -> int:
        if jobs > 1:
            return run_scan_parallel(
                stream, sys.stdout, sys.stderr, fmt=args.format, options=options, color=color, jobs=jobs
            )
        return run_scan(stream, sys.stdout, sys.stderr, fmt=args.format, options=options, color=color)

    try:
        if args.path == "-":
            return scan(sys.stdin)
        try:
            stream = open(args.path, encoding="utf-8")
        except OSError as exc:
            sys.stderr.write(f"error: cannot read {args.path}: {exc.strerror}\n")
            return EXIT_USAGE
        with stream:
            try:
                return scan(stream)
            except UnicodeDecodeError as exc:
                sys.stderr.write(f"error: {args.path} is not UTF-8 text: {exc.reason}\n")
                return EXIT_USAGE
    except BrokenPipeError:  # e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
