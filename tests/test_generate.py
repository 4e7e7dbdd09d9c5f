"""``mockxcore generate``: realistic, consistent, repeatable catalogs."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from mockxcore import MockServer, generate
from tests.support import headers

OM = "https://ns.adobe.com/experience/offer-management/"


def test_cli_writes_a_catalog_serve_loads(tmp_path: Path) -> None:
    out = tmp_path / "catalog.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mockxcore",
            "generate",
            "--offers",
            "60",
            "--activities",
            "4",
            "--seed",
            "3",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    with MockServer(data=out) as mock:  # every rule of the repository holds, or this fails
        state = mock.export_state()
        [container] = state["tenants"][0]["containers"]
        kinds = [i["schemas"][0].split(";")[0].rsplit("/", 1)[-1] for i in container["instances"]]
        assert kinds.count("personalized-offer") == 60
        assert kinds.count("offer-activity") == 4
        activities = [
            i["_instance"]["@id"]
            for i in container["instances"]
            if i["schemas"][0].startswith(OM + "offer-activity")
        ]
        decision = requests.post(
            f"{mock.url}/data/core/ode/{container['instanceId']}/decisions",
            json={
                "xdm:offerActivities": activities,
                "xdm:identityMap": {"Email": [{"xdm:id": "a@example.com"}]},
            },
            headers=headers("demo@AdobeOrg"),
        )
        assert decision.status_code == 200, decision.text
        assert all("xdm:error" not in p for p in decision.json()["xdm:propositions"])


def test_same_seed_same_catalog_other_seed_other_catalog() -> None:
    first = generate.catalog(20, 3, seed=5)
    assert first == generate.catalog(20, 3, seed=5)
    assert first != generate.catalog(20, 3, seed=6)
    names = [
        i["_instance"].get("xdm:name") for i in first["tenants"][0]["containers"][0]["instances"]
    ]
    assert len(set(names)) > 15  # Faker names, not placeholders


def test_stdout_and_bad_arguments() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mockxcore", "generate", "--offers", "2", "--activities", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert json.loads(done.stdout)["mockxcore"] == "snapshot/1"
    bad = subprocess.run(
        [sys.executable, "-m", "mockxcore", "generate", "--offers", "-1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2


@pytest.mark.parametrize("offers", [0, 1])
def test_tiny_catalogs_are_valid(offers: int) -> None:
    with MockServer(data=generate.catalog(offers, 3, seed=1)):
        pass
