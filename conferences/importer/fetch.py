"""One web page fetched for the import's "paste a link": its bytes as served, or a refusal an
editor can read.

Podium fetches on an editor's behalf from inside its own network. Left alone, a link could make
it read a service that is not meant to be public (a database console on 10.0.0.5, a cloud's
metadata service on 169.254.169.254) and show the answer in the preview. So the host's name is
resolved here, every address it resolves to must be public (unless the setting
PODIUM_FETCH_ALLOW_PRIVATE, for tests, says otherwise), and the connection goes to the address
that was checked: a second lookup, as a plain HTTP client would make, could be answered with
another address by a hostile name server ("DNS rebinding"). Redirects are followed here, one at
a time, each target checked the same way.

One deadline covers the whole fetch, redirects included (PODIUM_FETCH_TIMEOUT), and the body is
read in chunks up to PODIUM_FETCH_MAX_BYTES, so a slow, endless or huge page costs the editor's
request at most that. Only the standard library is used (socket, ssl, http.client): no proxy
read from the environment, no cookies, no connection pool, nothing that fetches on its own.
"""

import codecs
import datetime
import email.message
import hashlib
import http.client
import ipaddress
import re
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MEDIA_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
MAX_URL_LENGTH = 2000  # SourceDocument.snapshot_url holds this much
CHUNK = 64 * 1024
USER_AGENT = "Mozilla/5.0 (compatible; Podium, an archive of press conferences)"
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
    # Asked for as is: the archived copy is the page a reader's browser would show.
    "Accept-Encoding": "identity",
}
PUBLIC_ONLY = "Podium fetches only public pages."
# A charset as a header may carry it; anything else in the served Content-Type is dropped.
CHARSET_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,39}")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)


class FetchRefused(Exception):
    """A link that could not be fetched or used; the message is meant for the editor."""


@dataclass(frozen=True)
class FetchedPage:
    """A page as served: `url` is where it came from (after redirects), `content` its bytes,
    `content_type` the type it was served as, reduced to one of MEDIA_TYPES and a valid charset
    (what Podium serves the archived copy as, never a type of the remote server's choosing)."""

    url: str
    content: bytes
    content_type: str
    fetched_at: datetime.datetime

    @property
    def media_type(self) -> str:
        return self.content_type.split(";", 1)[0].strip()

    @property
    def charset(self) -> str | None:
        _, _, rest = self.content_type.partition("charset=")
        return rest.strip() or None

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @cached_property
    def text(self) -> str:
        """The page decoded as a browser would: a byte order mark first, then the served
        charset, then one a <meta> declares, then UTF-8, else Windows-1252."""
        content = self.content
        for bom, encoding in (
            (codecs.BOM_UTF8, "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16"),
            (codecs.BOM_UTF16_BE, "utf-16"),
        ):
            if content.startswith(bom):
                return content.decode(encoding, errors="replace")
        declared = [self.charset]
        if self.media_type != "text/plain":
            found = META_CHARSET.search(content[:4096])
            meta = found[1].decode("ascii").lower() if found else None
            # A <meta> read as ASCII cannot truly say UTF-16: browsers take it for UTF-8.
            declared.append("utf-8" if meta and meta.startswith("utf-16") else meta)
        for encoding in filter(None, declared):
            try:
                return content.decode(encoding, errors="replace")
            except LookupError:  # a name Python does not know: try the next
                continue
        try:
            return content.decode("utf-8")
        except UnicodeDecodeError:
            return content.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class Target:
    url: str
    scheme: str
    host: str  # as sent in the Host header and checked against the certificate (IDNA)
    port: int
    path: str  # path and query, percent-encoded


def fetch_page(url: str) -> FetchedPage:
    """Fetch `url` (http or https), following at most MAX_REDIRECTS redirects; any failure
    raises FetchRefused with a sentence for the editor."""
    timeout = float(settings.PODIUM_FETCH_TIMEOUT)
    deadline = time.monotonic() + timeout
    current = url.strip()
    for _ in range(MAX_REDIRECTS + 1):
        target = parse_target(current)
        connection, response, sock = request(target, deadline, timeout)
        try:
            if response.status in REDIRECT_STATUSES:
                location = (response.getheader("Location") or "").strip()
                if not location:
                    raise FetchRefused("The page redirected without saying where to.")
                current = urljoin(target.url, location)
                continue
            if response.status != 200:
                raise FetchRefused(
                    f"The page answered “{response.status} {response.reason}”; "
                    "Podium imports pages that answer “200 OK”."
                )
            content_type = served_type(response)
            content = read_body(response, sock, deadline, timeout)
            fetched_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
            return FetchedPage(target.url, content, content_type, fetched_at)
        finally:
            response.close()
            connection.close()
    raise FetchRefused(
        f"The page redirected more than {MAX_REDIRECTS} times; Podium stops there. "
        "Paste the address the page finally lives at."
    )


def parse_target(url: str) -> Target:
    if len(url) > MAX_URL_LENGTH:
        raise FetchRefused(f"The address is longer than {MAX_URL_LENGTH:,} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise FetchRefused("That is not a valid web address.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"“{scheme}:” addresses" if scheme else "addresses without one"
        raise FetchRefused(
            f"Podium fetches only web pages, with addresses starting with http:// or "
            f"https://; {shown} are refused."
        )
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("Give the address without a user name or password in it.")
    if not parts.hostname:
        raise FetchRefused("That address names no host.")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise FetchRefused(f"“{parts.hostname}” is not a valid host name.") from exc
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    default = 443 if scheme == "https" else 80
    return Target(url=url, scheme=scheme, host=host, port=port or default, path=path)


def refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why Podium does not fetch from `address`, or None for a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        # an IPv4 address inside an IPv6 one reaches that IPv4 host: mapped, 6to4, Teredo
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None:
            address = embedded
    if address.is_unspecified:
        kind = "an unspecified address"
    elif address.is_loopback:
        kind = "this server's own (loopback) address"
    elif address.is_link_local:
        kind = "a link-local address (where cloud metadata services answer)"
    elif address.is_multicast:
        kind = "a multicast address"
    elif address.is_private or address.is_reserved or not address.is_global:
        kind = "on a private network"
    else:
        return None
    return f"That address is {kind} ({address}); {PUBLIC_ONLY}"


def resolve(target: Target) -> list[tuple[int, tuple]]:
    """The addresses to connect to, as (family, socket address), each checked (unless the
    setting allows private ones)."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchRefused(
            f"The host “{target.host}” could not be found: check the address."
        ) from exc
    addresses = list(dict.fromkeys((family, sockaddr) for family, _, _, _, sockaddr in found))
    if not settings.PODIUM_FETCH_ALLOW_PRIVATE:
        # Every address, not only the first: a name may resolve to a public and a private one.
        for _, sockaddr in addresses:
            reason = refusal(ipaddress.ip_address(sockaddr[0]))
            if reason:
                raise FetchRefused(reason)
    return addresses


class PinnedConnection(http.client.HTTPConnection):
    """An HTTP(S) connection to one address already checked, opened without resolving any name
    again; the host's name is still sent (Host header) and, over https, checked against the
    certificate (SNI and verification)."""

    def __init__(self, target: Target, address: tuple[int, tuple], timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self.family, self.sockaddr = address
        self.tls = target.scheme == "https"

    def connect(self):
        sock = socket.socket(self.family, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self.sockaddr)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except BaseException:
            sock.close()
            raise
        self.sock = sock
        if self.tls:
            context = ssl.create_default_context()
            self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused(too_slow(timeout))
    return left


def too_slow(timeout: float) -> str:
    return f"The page did not answer within {timeout:g} second{'s' if timeout != 1 else ''}."


def request(target: Target, deadline: float, timeout: float):
    """Send the GET to the first address that takes a connection; (connection, response,
    socket)."""
    addresses = resolve(target)
    failure = None
    for address in addresses:
        connection = PinnedConnection(target, address, remaining(deadline, timeout))
        try:
            connection.request("GET", target.path, headers=HEADERS)
            sock = connection.sock  # the response reads it after the connection lets it go
            sock.settimeout(remaining(deadline, timeout))
            return connection, connection.getresponse(), sock
        except TimeoutError as exc:
            connection.close()
            raise FetchRefused(too_slow(timeout)) from exc
        except ssl.SSLCertVerificationError as exc:
            connection.close()
            raise FetchRefused(
                f"The certificate of {target.host} could not be verified "
                f"({exc.verify_message}); Podium fetches only pages it can trust."
            ) from exc
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            failure = exc
        except FetchRefused:
            connection.close()
            raise
    if isinstance(failure, http.client.HTTPException):
        raise FetchRefused(f"{target.host} did not answer as a web server does.") from failure
    raise FetchRefused(f"Podium could not connect to {target.host}.") from failure


def served_type(response) -> str:
    """The served type reduced to one of MEDIA_TYPES (and a known charset), or a refusal."""
    header = response.getheader("Content-Type")
    if not header:
        raise FetchRefused(
            "That address does not say what kind of document it serves; Podium imports web "
            "pages (HTML) and plain text."
        )
    message = email.message.Message()
    message["Content-Type"] = header
    media_type = message.get_content_type()
    if media_type not in MEDIA_TYPES:
        raise FetchRefused(
            f"That address serves “{media_type}”, not a web page; Podium imports web pages "
            "(HTML) and plain text."
        )
    charset = message.get_content_charset()
    if charset and CHARSET_NAME.fullmatch(charset):
        try:
            codecs.lookup(charset)
        except LookupError:
            charset = None
    else:
        charset = None
    return f"{media_type}; charset={charset}" if charset else media_type


def read_body(response, sock, deadline: float, timeout: float) -> bytes:
    """The body, read a chunk at a time within the deadline and the size limit (a compressed
    body sent although not asked for is unpacked within the same limit)."""
    from .service import file_size  # here: service imports the writer, which imports this

    limit = settings.PODIUM_FETCH_MAX_BYTES
    too_large = (
        f"The page is larger than {file_size(limit)}, the most Podium fetches; save the "
        "text from your browser and paste it instead."
    )
    length = (response.getheader("Content-Length") or "").strip()
    if length.isdigit() and int(length) > limit:
        raise FetchRefused(too_large)
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        raise FetchRefused(f"The page came compressed as “{encoding}”, which Podium does not read.")
    unpack = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding != "identity" else None
    body = bytearray()
    try:
        while True:
            sock.settimeout(remaining(deadline, timeout))
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            if unpack is not None:
                chunk = unpack.decompress(chunk, limit + 1 - len(body))
            body += chunk
            if len(body) > limit:
                raise FetchRefused(too_large)
            remaining(deadline, timeout)
    except TimeoutError as exc:
        raise FetchRefused(too_slow(timeout)) from exc
    except zlib.error as exc:
        raise FetchRefused("The page came compressed, and could not be unpacked.") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchRefused("The connection broke off before the page was complete.") from exc
    return bytes(body)
