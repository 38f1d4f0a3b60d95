"""Fetching listing pictures from their URLs on the workers, without letting a URL reach inside our network.

A bundle names image URLs, and a worker fetches them: whoever writes the bundle chooses where the worker
connects. So (SSRF):

- only ``http`` and ``https``, on any port, with no user/password in the URL;
- the host name is resolved once here and **every** address it resolves to must be globally routable
  (``ipaddress``'s ``is_global``: no loopback, private, link-local — 169.254.169.254 is the cloud metadata
  service —, shared, multicast, reserved or unspecified addresses, IPv4-mapped IPv6 included);
- the connection goes to the address that was checked (urllib3 to the IP, with the name as Host header, TLS
  SNI and certificate name), so a second DNS answer cannot swap in a private address (DNS rebinding);
- redirects are followed by hand, at most ``MAX_REDIRECTS``, each new URL checked the same way;
- at most ``max_bytes`` are read (a larger Content-Length is refused before reading) and the whole fetch must
  finish within ``timeout`` seconds.

Everything refused or failed raises :class:`FetchError` with a reason for the editor. ``urllib3`` does the
HTTP; the address policy is the few lines here.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3

MAX_REDIRECTS = 3
USER_AGENT = "d11-readiness-image-fetcher/1"

Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """An image URL that was not fetched; ``reason`` says why (Chinese, for the editor)."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    data: bytes
    content_type: str


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def public_address(address: str) -> bool:
    """Whether a worker may connect to ``address``: only globally routable unicast addresses."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _target(url: str, resolver: Resolver, allow: Callable[[str], bool]) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, checked address, path with query) of an allowed URL, or FetchError."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError("scheme", f"只能抓取 http/https 图片地址（{scheme or '无协议'}）")
    if parts.username is not None or parts.password is not None:
        raise FetchError("credentials", "图片地址不能包含用户名或密码")
    host = parts.hostname
    if not host:
        raise FetchError("host", "图片地址缺少主机名")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchError("host", "图片地址的端口无效") from exc
    try:
        addresses = [str(ipaddress.ip_address(host))]  # an address literal is not looked up
    except ValueError:
        addresses = []
    try:
        addresses = addresses or resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError("dns", f"无法解析图片地址的主机 {host}") from exc
    if not addresses:
        raise FetchError("dns", f"无法解析图片地址的主机 {host}")
    blocked = [a for a in addresses if not allow(a)]
    if blocked:
        raise FetchError("private_address", f"图片地址 {host} 指向内网或本机地址（{blocked[0]}），不予抓取")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, addresses[0], path


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float = 15.0,
    resolver: Resolver = resolve,
    allow: Callable[[str], bool] = public_address,
) -> Fetched:
    """GET ``url`` under the rules of this module; raises :class:`FetchError`.

    ``resolver`` and ``allow`` are the name lookup and the address policy (the tests stand a loopback server
    in for a public host with them; production uses the defaults).
    """
    deadline = time.monotonic() + timeout
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port, address, path = _target(url, resolver, allow)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timeout", f"抓取图片超时（{timeout:.0f} 秒）")
        pool_timeout = urllib3.Timeout(connect=min(5.0, remaining), read=remaining)
        pool: urllib3.HTTPConnectionPool
        if scheme == "https":
            pool = urllib3.HTTPSConnectionPool(
                address, port, timeout=pool_timeout, retries=False, server_hostname=host, assert_hostname=host
            )
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=pool_timeout, retries=False)
        default_port = 443 if scheme == "https" else 80
        headers = {"Host": host if port == default_port else f"{host}:{port}", "User-Agent": USER_AGENT}
        try:
            response = pool.urlopen(
                "GET", path, headers=headers, redirect=False, preload_content=False, assert_same_host=False
            )
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError("connect", f"无法连接图片地址 {host}（{type(exc).__name__}）") from exc
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchError("redirect", "图片地址重定向缺少目标")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError("status", f"图片地址返回 HTTP {response.status}")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError("too_many_bytes", f"图片超过 {max_bytes // 1048576} MB 上限")
            data = _read(response, max_bytes, deadline, timeout)
            return Fetched(url=url, data=data, content_type=response.headers.get("Content-Type", ""))
        finally:
            response.release_conn()
            pool.close()
    raise FetchError("redirect", f"图片地址重定向超过 {MAX_REDIRECTS} 次")


def _read(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    try:
        while chunk := response.read1(64 * 1024):  # returns what has arrived, so the deadline is checked often
            size += len(chunk)
            if size > max_bytes:
                raise FetchError("too_many_bytes", f"图片超过 {max_bytes // 1048576} MB 上限")
            if time.monotonic() > deadline:
                raise FetchError("timeout", f"抓取图片超时（{timeout:.0f} 秒）")
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as exc:
        raise FetchError("connect", f"读取图片失败（{type(exc).__name__}）") from exc
    return b"".join(chunks)
