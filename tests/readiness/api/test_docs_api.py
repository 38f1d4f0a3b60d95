"""docs/api.md cannot rot: every line of its ``sh`` blocks runs here, in order, against the test client.

The blocks are real shell (they work by hand with curl and jq against ``make run``); this test understands the
subset they use, and fails on anything else, so a new example must stay within it:

    NAME=value                              assignment ($NAME and ${NAME} are expanded everywhere)
    NAME=$(command | jq -r PATH)            capture a JSON value (PATH like .id or .results[0].listing_id)
    NAME=$(command | tail -n 1)             capture the last line of the output
    curl [-s] [--compressed] [-X METHOD] [-H 'K: V']... [-d DATA | --data-binary @FILE] [-o /dev/null]
         [-w FORMAT] URL                    (FORMAT may use %{http_code} and %header{name})
    python manage.py COMMAND ARGS...        run through call_command
    # → 404                                 the status the curl command just above must answer (else 2xx or 304)

The host of every URL is ignored: requests go to the test client. Celery is eager, so a pushed bundle's job has
finished when the request returns.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "api.md"
ASSIGN = re.compile(r"^([A-Z_][A-Z0-9_]*)=(.*)$")
EXPECT = re.compile(r"^# → (\d{3})$")
VARIABLE = re.compile(r"\$\{?([A-Z_][A-Z0-9_]*)\}?")
JQ_STEP = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")
EVERY_OPERATION = {
    ("api-shop-list", "GET"), ("api-promotion-list", "GET"), ("api-bundle-create", "POST"),
    ("api-job-detail", "GET"), ("api-readiness", "GET"), ("api-finding-list", "GET"), ("api-run-list", "GET"),
    ("api-listing", "GET"), ("api-listing", "PATCH"), ("api-finding-waiver", "POST"),
    ("api-finding-waiver", "DELETE"), ("api-waiver-list", "GET"), ("api-scan", "POST"),
    ("api-after-sales-records", "POST"), ("api-after-sales", "GET"),
}  # fmt: skip


def shell_lines(text: str) -> list[str]:
    """The lines of every ``sh`` block, continuation lines joined."""
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        lines.extend(line.strip() for line in block.replace("\\\n", " ").splitlines() if line.strip())
    return lines


@dataclass
class Shell:
    client: APIClient
    on_commit: Callable[..., Any]
    env: dict[str, str] = field(default_factory=dict)
    last_status: int | None = None
    operations: set[tuple[str, str]] = field(default_factory=set)

    def run_line(self, line: str) -> None:
        if (match := EXPECT.match(line)) is not None:
            assert self.last_status == int(match[1]), (line, self.last_status)
            self.last_status = None
            return
        if line.startswith("#"):
            return
        self.check_previous_status()
        if (match := ASSIGN.match(line)) is not None:
            name, value = match[1], match[2]
            if value.startswith("$(") and value.endswith(")"):
                self.env[name] = self.pipeline(value[2:-1]).strip()
            else:
                self.env[name] = self.expand(value)
            assert self.env[name] and self.env[name] != "null", line
            return
        self.pipeline(line)

    def check_previous_status(self) -> None:
        if self.last_status is not None:
            assert 200 <= self.last_status < 300 or self.last_status == 304, self.last_status
            self.last_status = None

    def expand(self, text: str) -> str:
        return VARIABLE.sub(lambda m: self.env[m[1]], text)

    def pipeline(self, command: str) -> str:
        # As the shell does: split into words first, then expand (an ETag keeps its double quotes).
        words = [self.expand(word) for word in shlex.split(command)]
        stages: list[list[str]] = [[]]
        for word in words:
            stages.append([]) if word == "|" else stages[-1].append(word)
        output = self.command(stages[0])
        for stage in stages[1:]:
            output = self.filter(stage, output)
        return output

    def command(self, words: list[str]) -> str:
        if words[:2] == ["python", "manage.py"]:
            out = io.StringIO()
            call_command(*words[2:], stdout=out, stderr=io.StringIO())
            return out.getvalue()
        assert words[0] == "curl", f"unsupported command: {words}"
        return self.curl(words[1:])

    def curl(self, args: list[str]) -> str:
        method, headers, body, show_body, write_out, url = None, {}, None, True, "", None
        it = iter(args)
        for arg in it:
            if arg == "-s":
                continue
            elif arg == "--compressed":
                headers["Accept-Encoding"] = "gzip"
            elif arg == "-X":
                method = next(it)
            elif arg == "-H":
                name, _, value = next(it).partition(":")
                headers[name.strip()] = value.strip()
            elif arg in ("-d", "--data", "--data-binary"):
                data = next(it)
                body = (ROOT / data[1:]).read_bytes() if data.startswith("@") else data.encode()
            elif arg == "-o":
                assert next(it) == "/dev/null"
                show_body = False
            elif arg == "-w":
                write_out = next(it)
            elif not arg.startswith("-") and url is None:
                url = arg
            else:
                raise AssertionError(f"unsupported curl argument {arg!r}")
        assert url is not None
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        method = method or ("POST" if body is not None else "GET")
        content_type = headers.pop("Content-Type", "application/x-www-form-urlencoded" if body else None)
        extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
        with self.on_commit(execute=True):
            response = self.client.generic(method, path, data=body or b"", content_type=content_type, **extra)
        self.last_status = response.status_code
        self.operations.add((resolve(parts.path).url_name or "", method))
        assert "Traceback" not in response.content.decode(errors="replace")
        content = response.content
        if response.headers.get("Content-Encoding") == "gzip":
            assert headers.get("Accept-Encoding") == "gzip"
            content = gzip.decompress(content)
        out = content.decode() if show_body else ""
        written = write_out.replace("%{http_code}", str(response.status_code)).replace("\\n", "\n")
        written = re.sub(r"%header\{([^}]+)\}", lambda m: response.headers.get(m[1], ""), written)
        return out + written

    def filter(self, stage: list[str], text: str) -> str:
        if stage[:2] == ["tail", "-n"]:
            return "\n".join(text.strip().splitlines()[-int(stage[2]) :])
        assert stage[:2] == ["jq", "-r"], f"unsupported filter {stage}"
        value: Any = json.loads(text)
        path = stage[2]
        assert "".join(m[0] for m in JQ_STEP.finditer(path)) == path, f"unsupported jq path {path}"
        for key, index in JQ_STEP.findall(path):
            value = value[key] if key else value[int(index)]
        return value if isinstance(value, str) else json.dumps(value)


def test_the_shell_lines_are_found() -> None:
    lines = shell_lines(DOC.read_text(encoding="utf-8"))
    assert sum(line.startswith(("curl", "JOB=$(curl", "ETAG=$(curl")) for line in lines) >= 15


def test_every_example_in_docs_api_md_runs(
    django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    shell = Shell(client=APIClient(), on_commit=django_capture_on_commit_callbacks)
    for line in shell_lines(DOC.read_text(encoding="utf-8")):
        shell.run_line(line)
    shell.check_previous_status()
    assert shell.operations >= EVERY_OPERATION, EVERY_OPERATION - shell.operations
