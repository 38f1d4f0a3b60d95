"""Fetching image URLs on the workers: http/https only, no private addresses (also after redirects and DNS),
size and time limits. The only server is one on 127.0.0.1 that the tests stand in for a public host."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from readiness.fetching import FetchError, fetch, public_address

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 100


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.hits.append((self.path, self.headers.get("Host")))  # type: ignore[attr-defined]
        if self.path == "/img.png":
            self._send(200, PNG)
        elif self.path.startswith("/to?"):
            self.send_response(302)
            self.send_header("Location", self.path.split("?", 1)[1])
            self.end_headers()
        elif self.path == "/big":
            self._send(200, b"\0" * 5000)
        elif self.path == "/big-chunked":
            self.send_response(200)
            self.end_headers()
            for _ in range(10):
                self.wfile.write(b"\0" * 1000)
        elif self.path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"\0")
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(404, b"")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[ThreadingHTTPServer]:
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.hits = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _resolver(names: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> list[str]:
        if host in names:
            return names[host]
        raise OSError("unknown host in this test")

    return resolve


# shop.test stands for a public host: it resolves to the test server, the one address the test policy allows.
NAMES = {"shop.test": ["127.0.0.1"], "intranet.test": ["10.0.0.7"], "rebind.test": ["93.184.216.34", "127.0.0.1"]}
ALLOW_TEST_SERVER = {"allow": lambda a: a == "127.0.0.1", "resolver": _resolver(NAMES)}


def test_an_image_is_fetched_from_the_checked_address_with_its_host_name(server: ThreadingHTTPServer) -> None:
    port = server.server_address[1]
    got = fetch(f"http://shop.test:{port}/img.png", max_bytes=1000, **ALLOW_TEST_SERVER)
    assert got.data == PNG
    assert server.hits[-1] == ("/img.png", f"shop.test:{port}")  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x.png",
        "http://localhost/x.png",
        "http://10.1.2.3/x.png",
        "http://172.16.0.1/x.png",
        "http://192.168.1.1/x.png",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/x.png",
        "http://0.0.0.0/x.png",
        "http://[::1]/x.png",
        "http://[fe80::1]/x.png",
        "http://[fd00::1]/x.png",
        "http://[::ffff:127.0.0.1]/x.png",
        "http://224.0.0.1/x.png",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as exc:
        fetch(url, max_bytes=1000)
    assert exc.value.code == "private_address"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/a.png", "gopher://x/", "//x/a.png"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError) as exc:
        fetch(url, max_bytes=1000)
    assert exc.value.code == "scheme"


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(FetchError) as exc:
        fetch("http://user:pw@shop.test/a.png", max_bytes=1000, **ALLOW_TEST_SERVER)
    assert exc.value.code == "credentials"


def test_a_name_resolving_to_a_private_address_is_refused_even_among_public_ones() -> None:
    for host in ("intranet.test", "rebind.test"):
        with pytest.raises(FetchError) as exc:
            fetch(f"http://{host}/a.png", max_bytes=1000, resolver=_resolver(NAMES))
        assert exc.value.code == "private_address"


@pytest.mark.parametrize(
    "target",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.test/a.png",
        "http://0.0.0.0:8080/",
        "file:///etc/passwd",
    ],
)
def test_a_redirect_to_a_private_address_or_scheme_is_refused(server: ThreadingHTTPServer, target: str) -> None:
    port = server.server_address[1]
    with pytest.raises(FetchError) as exc:
        fetch(f"http://shop.test:{port}/to?{target}", max_bytes=1000, **ALLOW_TEST_SERVER)
    assert exc.value.code in ("private_address", "scheme")


def test_redirects_are_followed_a_few_times_only(server: ThreadingHTTPServer) -> None:
    port = server.server_address[1]
    base = f"http://shop.test:{port}"
    assert fetch(f"{base}/to?/img.png", max_bytes=1000, **ALLOW_TEST_SERVER).data == PNG
    loop = f"{base}/to?/to?/to?/to?/img.png"
    with pytest.raises(FetchError) as exc:
        fetch(loop, max_bytes=1000, **ALLOW_TEST_SERVER)
    assert exc.value.code == "redirect"


def test_size_and_time_are_bounded(server: ThreadingHTTPServer) -> None:
    base = f"http://shop.test:{server.server_address[1]}"
    for path in ("/big", "/big-chunked"):
        with pytest.raises(FetchError) as exc:
            fetch(base + path, max_bytes=1000, **ALLOW_TEST_SERVER)
        assert exc.value.code == "too_many_bytes"
    started = time.monotonic()
    with pytest.raises(FetchError) as exc:
        fetch(base + "/slow", max_bytes=1000, timeout=0.5, **ALLOW_TEST_SERVER)
    assert exc.value.code in ("timeout", "connect")
    assert time.monotonic() - started < 1.9  # the server would take 2 s


def test_missing_images_and_unknown_hosts_are_clear_errors(server: ThreadingHTTPServer) -> None:
    with pytest.raises(FetchError) as exc:
        fetch(f"http://shop.test:{server.server_address[1]}/nope.png", max_bytes=1000, **ALLOW_TEST_SERVER)
    assert exc.value.code == "status" and "404" in exc.value.reason
    with pytest.raises(FetchError) as exc:
        fetch("http://nowhere.test/a.png", max_bytes=1000, resolver=_resolver({}))
    assert exc.value.code == "dns"


def test_the_address_policy() -> None:
    assert public_address("93.184.216.34") and public_address("2606:2800:220:1:248:1893:25c8:1946")
    for a in ("127.0.0.1", "10.0.0.1", "169.254.1.1", "::1", "fe80::1", "::ffff:10.0.0.1", "not an ip"):
        assert not public_address(a)
