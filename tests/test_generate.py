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


def test_a_generated_decision_table_is_served_beside_the_demo(tmp_path: Path) -> None:
    out = tmp_path / "table.json"
    done = subprocess.run(
        [sys.executable, "-m", "mockxcore", "generate", "--table", "--activities", "12",
         "--mboxes", "4", "--client", "shop", "--seed", "5", "-o", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text()) == generate.target_snapshot(
        generate.decision_table(12, 4, seed=5), "shop"
    )
    with MockServer(data=["demo", str(out)]) as mock:
        clients = requests.get(mock.url + "/__admin/target/clients").json()["clients"]
        assert {(c["client"], c["source"]) for c in clients} == {
            ("demo", "table"),
            ("shop", "table"),
        }
        assert mock.export_state()["tenants"]  # the demo's repository data is still there
        request = {
            "id": {"tntId": "0123456789abcdef0123456789abcdef.35_0"},
            "context": {"channel": "web", "address": {"url": "https://www.example.com/sale"}},
            "execute": {"mboxes": [{"index": n + 1, "name": f"mbox-{n:02d}"} for n in range(4)]},
        }
        answered = requests.post(
            mock.url + "/rest/v1/delivery",
            params={"client": "shop", "sessionId": "s"},
            json=request,
        )
        assert answered.status_code == 200, answered.text
        mboxes = answered.json()["execute"]["mboxes"]
        assert any(m.get("options") for m in mboxes)


def test_tables_are_seeded() -> None:
    assert generate.decision_table(9, 3, seed=1) == generate.decision_table(9, 3, seed=1)
    assert generate.decision_table(9, 3, seed=1) != generate.decision_table(9, 3, seed=2)
    with pytest.raises(ValueError):
        generate.decision_table(5, 0)
