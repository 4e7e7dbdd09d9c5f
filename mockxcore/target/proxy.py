"""mockxcore as an HTTP forward proxy for Adobe's hosts, so clients change no URL at all.

Faithful visitor ids make Adobe's SDKs route their next call to ``mboxedge<N>.tt.omtrdc.net``;
with ``HTTP_PROXY``/``HTTPS_PROXY`` pointing at the mock, those calls come back to it:

* plain HTTP: the request arrives in absolute form (``POST http://mboxedge35.tt.omtrdc.net/
  rest/v1/delivery``); aiohttp routes it by path like any other, so the mock answers it itself;
* HTTPS: the client first asks ``CONNECT host:443``; with ``--tls`` the listening socket
  (``tls.TlsSite``) answers the tunnel itself and terminates TLS with a certificate for the
  Adobe hosts signed by the mock's own CA. Without ``--tls`` the answer says so.

Only Adobe's hosts are proxied, and never forwarded anywhere: the mock is the upstream.
"""

from __future__ import annotations

from aiohttp import web

from mockxcore.problems import ErrorItem, Problem
from mockxcore.web import problem_response

ADOBE_SUFFIXES = (".tt.omtrdc.net",)
ADOBE_HOSTS = frozenset(
    {
        "tt.omtrdc.net",
        "assets.adobetarget.com",
        "assets.staging.adobetarget.com",
        "platform.adobe.io",
    }
)


def adobe_host(host: str | None) -> bool:
    """Whether the mock stands in for ``host`` (a name, without port)."""
    if not host:
        return False
    name = host.lower().rstrip(".")
    return name in ADOBE_HOSTS or name.endswith(ADOBE_SUFFIXES)


def _refused(detail: str, status: int = 403) -> Problem:
    return Problem(status, "proxy-refused", detail, [ErrorItem("proxy", detail, "")])


def refuse_foreign(request: web.Request, state: object) -> web.StreamResponse | None:
    """A :data:`~mockxcore.web.Check`: requests in proxy form (or ``CONNECT``) for hosts the
    mock does not stand in for are refused; so is ``CONNECT`` without ``--tls``."""
    if request.method == "CONNECT":
        host = request.raw_path.rsplit(":", 1)[0]
        problem = (
            _refused(f"mockxcore only stands in for Adobe hosts, not {host!r}")
            if not adobe_host(host)
            else _refused(
                f"HTTPS through the proxy (CONNECT {request.raw_path}) needs TLS: start the "
                "mock with --tls (MockServer(tls=True)) and trust the CA file it writes",
                status=501,
            )
        )
        response = problem_response(problem)
        response.force_close()  # the client meant to speak TLS next; end the connection
        return response
    if request.raw_path.startswith(("http://", "https://")) and not adobe_host(request.url.host):
        # Answered, not raised: the proxy's own refusal is problem+json, whatever the path
        # (an error raised under /rest/ would take the Delivery API's shape).
        return problem_response(
            _refused(
                f"mockxcore only stands in for Adobe hosts (*.tt.omtrdc.net, "
                f"assets.adobetarget.com, platform.adobe.io), not {request.url.host!r}; "
                "it never forwards to the internet"
            )
        )
    return None
