"""Auth modes and the control plane's protection."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from mockxcore import MockServer
from mockxcore.config import Config
from tests.support import Api, headers

pytestmark = pytest.mark.mockxcore(strict=False)


def test_auth_tokens_accepts_only_listed_tokens(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.txt"
    tokens.write_text("# accepted\ngood-token\n\nother-token\n")
    with MockServer(config=Config(auth="tokens", tokens_file=tokens)) as mock:
        home = mock.url + "/data/core/xcore/"
        assert requests.get(home, headers=headers(Authorization="Bearer good-token")).ok
        assert requests.get(home, headers=headers(Authorization="Bearer other-token")).ok
        refused = requests.get(home, headers=headers(Authorization="Bearer test-token"))
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["pointer"] == "/headers/Authorization"
        assert (
            requests.get(
                home, headers=headers(**{"x-api-key": ""}, Authorization="Bearer good-token")
            ).status_code
            == 403
        )


def test_auth_tokens_needs_a_file() -> None:
    with pytest.raises(ValueError, match="tokens file"):
        Config(auth="tokens")


def test_admin_token() -> None:
    with MockServer(config=Config(admin_token="s3cret")) as mock:
        assert requests.get(mock.url + "/__admin/health").status_code == 401
        wrong = requests.get(mock.url + "/__admin/journal", headers={"x-admin-token": "nope"})
        assert wrong.status_code == 401
        ok = requests.get(mock.url + "/__admin/health", headers={"x-admin-token": "s3cret"})
        assert ok.status_code == 200
        # The mocked API itself does not need it, and the journal masks the token.
        api = Api(mock.url)
        api.session.headers["x-admin-token"] = "s3cret"
        assert api.create({"xdm:name": "x"}).status_code == 201
        journal = requests.get(
            mock.url + "/__admin/journal", headers={"x-admin-token": "s3cret"}
        ).json()
        assert journal[-1]["headers"]["x-admin-token"] == "***"


def test_admin_port_separates_the_control_plane() -> None:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mockxcore",
            "serve",
            "--port",
            "0",
            "--admin-port",
            "0",
            "--no-demo",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        api_url = process.stdout.readline().strip().rsplit(" ", 1)[-1]
        admin_url = process.stdout.readline().strip().rsplit(" ", 1)[-1].removesuffix("/__admin")
        assert api_url != admin_url
        assert requests.get(admin_url + "/__admin/health").status_code == 200
        assert requests.get(api_url + "/__admin/health").status_code == 404
        assert requests.get(admin_url + "/data/core/xcore/", headers=headers()).status_code == 404
        assert requests.get(api_url + "/data/core/xcore/", headers=headers()).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_admin_is_refused_from_other_hosts() -> None:
    """Bound to all interfaces, the mock answers its API from another address but not the
    control plane (unless --admin-remote)."""
    import socket

    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 9))  # no packet is sent: this only picks a route
        address = probe.getsockname()[0]
    except OSError:
        address = "127.0.0.1"
    finally:
        probe.close()
    if address.startswith("127."):
        pytest.skip("this machine has no non-loopback address to call from")
    for remote, expected in ((False, 403), (True, 200)):
        with MockServer(config=Config(host="0.0.0.0", admin_remote=remote)) as mock:
            port = mock.port
            assert requests.get(f"http://{address}:{port}/__admin/health").status_code == expected
            assert requests.get(f"http://127.0.0.1:{port}/__admin/health").status_code == 200
            assert (
                requests.get(
                    f"http://{address}:{port}/data/core/xcore/", headers=headers()
                ).status_code
                == 200
            )
