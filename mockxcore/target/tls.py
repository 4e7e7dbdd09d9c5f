"""TLS for the mock: a local CA (made with ``trustme``) and one port that speaks everything.

``mockxcore serve --tls`` (or ``MockServer(tls=True)``) listens with :class:`TlsSite`, which
looks at the first bytes of each connection and hands it to the same aiohttp server:

* a TLS ClientHello: ``https://127.0.0.1:PORT/...`` directly (e.g. an SDK's ``cdn_base_path``);
* ``CONNECT host:443``: a proxy tunnel for an Adobe host; the mock answers 200 itself and
  terminates TLS with a certificate valid for Adobe's hosts, signed by its CA;
* anything else: plain HTTP, proxy requests in absolute form included.

The CA certificate is written to a file (``ca_path``), so that ``REQUESTS_CA_BUNDLE`` or
``SSL_CERT_FILE`` make clients trust the mock. Keys are made fresh at each start.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import ssl
import tempfile
from pathlib import Path

import trustme
from aiohttp import web

from mockxcore.target.proxy import adobe_host

NAMES = (
    "localhost",
    "127.0.0.1",
    "::1",
    "tt.omtrdc.net",
    "*.tt.omtrdc.net",
    "assets.adobetarget.com",
    "assets.staging.adobetarget.com",
    "platform.adobe.io",
)
MAX_CONNECT_HEAD = 16 << 10
FIRST_BYTES_TIMEOUT = 30.0
CONNECTED = b"HTTP/1.1 200 Connection established\r\n\r\n"


class LocalAuthority:
    """A throw-away CA and a server certificate for the mock's own and Adobe's host names."""

    def __init__(self, extra_names: tuple[str, ...] = ()) -> None:
        self.ca = trustme.CA(organization_name="mockxcore local CA")
        names = tuple(dict.fromkeys((*NAMES, *extra_names)))
        self.certificate = self.ca.issue_cert(*names)
        self.context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.certificate.configure_cert(self.context)
        self._folder = Path(tempfile.mkdtemp(prefix="mockxcore-tls-"))
        self.ca_path = str(self._folder / "mockxcore-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_path)

    def close(self) -> None:
        shutil.rmtree(self._folder, ignore_errors=True)


class _Listener:
    """An accept loop that routes each connection by its first bytes (see module doc)."""

    def __init__(self, sock: socket.socket, site: TlsSite) -> None:
        self.sockets = [sock]
        self._site = site
        self._tasks: set[asyncio.Task[None]] = set()
        self._accepting: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._accepting = asyncio.get_running_loop().create_task(self._accept())

    def close(self) -> None:
        if self._accepting is not None:
            self._accepting.cancel()
        for task in list(self._tasks):
            task.cancel()
        for sock in self.sockets:
            sock.close()

    async def _accept(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            conn, _address = await loop.sock_accept(self.sockets[0])
            task = loop.create_task(self._route(conn))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _readable(self, conn: socket.socket, timeout: float) -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(conn.fileno(), wake)
        try:
            await asyncio.wait_for(ready, timeout)
        finally:
            loop.remove_reader(conn.fileno())

    async def _first_bytes(self, conn: socket.socket) -> bytes:
        """Up to 8 bytes, peeked (left in the socket for whoever handles the connection)."""
        head = b""
        for _attempt in range(200):
            await self._readable(conn, FIRST_BYTES_TIMEOUT)
            head = conn.recv(8, socket.MSG_PEEK)
            if not head or head[0] == 0x16 or len(head) >= 8 or not b"CONNECT ".startswith(head):
                return head
            await asyncio.sleep(0.005)  # a fragment of "CONNECT "; wait for the rest
        return head

    async def _route(self, conn: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        server = self._site.runner_server()
        try:
            conn.setblocking(False)
            head = await self._first_bytes(conn)
            if not head:
                conn.close()
            elif head[0] == 0x16:
                await loop.connect_accepted_socket(server, conn, ssl=self._site.authority.context)
            elif head.startswith(b"CONNECT "):
                await self._tunnel(conn)
            else:
                await loop.connect_accepted_socket(server, conn)
        except (OSError, ssl.SSLError, TimeoutError, asyncio.CancelledError):
            conn.close()

    async def _tunnel(self, conn: socket.socket) -> None:
        loop = asyncio.get_running_loop()
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = await asyncio.wait_for(loop.sock_recv(conn, 4096), FIRST_BYTES_TIMEOUT)
            if not chunk or len(head) + len(chunk) > MAX_CONNECT_HEAD:
                conn.close()
                return
            head += chunk
        target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
        host = target.rsplit(":", 1)[0].strip("[]")
        if not adobe_host(host):
            message = f"mockxcore only stands in for Adobe hosts, not {host!r}\n".encode()
            await loop.sock_sendall(
                conn,
                b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                + f"Content-Length: {len(message)}\r\n\r\n".encode()
                + message,
            )
            conn.close()
            return
        await loop.sock_sendall(conn, CONNECTED)
        await loop.connect_accepted_socket(
            self._site.runner_server(), conn, ssl=self._site.authority.context
        )


class TlsSite(web.BaseSite):
    """Plain HTTP, HTTPS and CONNECT tunnels on one port (see module doc)."""

    def __init__(
        self,
        runner: web.BaseRunner,
        host: str,
        port: int,
        authority: LocalAuthority | None = None,
    ) -> None:
        super().__init__(runner)
        self._host = host
        self._port = port
        self.authority = authority or LocalAuthority((host,) if host not in NAMES else ())
        self._listener: _Listener | None = None

    @property
    def name(self) -> str:
        return f"http+https://{self._host}:{self._port}"

    @property
    def ca_path(self) -> str:
        return self.authority.ca_path

    def runner_server(self) -> web.Server:
        server = self._runner.server
        if server is None:
            raise ConnectionAbortedError("the server is shutting down")
        return server

    async def start(self) -> None:
        await super().start()
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.create_server((self._host, self._port), family=family, backlog=128)
        sock.setblocking(False)
        self._listener = _Listener(sock, self)
        self._server = self._listener  # type: ignore[assignment]
        self._listener.start()

    async def stop(self) -> None:
        await super().stop()
        with contextlib.suppress(OSError):
            self.authority.close()
