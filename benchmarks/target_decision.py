"""In-process decision time of a 10-mbox Delivery API request against a 300-rule artifact.

Times the core of a delivery call without HTTP: the engine's decision (context, allocation,
rule evaluation, response shaping), and with the request check the handler runs first
(jsonschema-rs's quick "valid?"; jsonschema itself only walks requests that fail it, to name
the problems). Median of repeated runs. Target: decision <= 2 ms. For scale it also times a
1-mbox request and json-logic evaluating one typical condition.

    python benchmarks/target_decision.py [--repeat 2000]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import median_ms
from _target_workload import request, table
from json_logic import jsonLogic

from mockxcore.config import Config
from mockxcore.state import MockState
from mockxcore.target import engine, ids

SCHEMA = "https://ns.adobe.com/experience/target/delivery-request"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    state = MockState(Config())
    client = state.target.load_table("bench", table())
    artifact = client.artifact
    assert artifact is not None
    rules = sum(len(r) for r in artifact.mboxes.values())

    def decide(body: dict[str, object]) -> dict[str, object]:
        inputs = engine.Inputs(
            client="bench",
            now=state.clock.now(),
            visitor_key=ids.allocation_key(body["id"]) or "",  # type: ignore[arg-type]
            geo={},
        )
        return engine.decide(artifact, body, inputs)

    rule = artifact.mboxes["mbox-01"][0]
    data = {"allocation": 42.0, "mbox": {"tier": "gold"}, "page": {"path": "/shop"}}
    ten, one = request(10), request(1)
    assert state.contracts.quick_check(SCHEMA) is not None
    assert not state.contracts.validate(SCHEMA, ten)
    walk = state.contracts.validator(SCHEMA)
    answered = decide(ten)["execute"]["mboxes"]  # type: ignore[index]
    matched = sum(1 for m in answered if m.get("options"))
    figures = {
        "decide, 10 mboxes": median_ms(lambda: decide(ten), repeat=args.repeat),
        "check + decide, 10 mboxes (as the handler does)": median_ms(
            lambda: (state.contracts.validate(SCHEMA, ten), decide(ten)), repeat=args.repeat
        ),
        "full jsonschema validation, 10 mboxes (only for bad requests)": median_ms(
            lambda: list(walk.iter_errors(ten)), repeat=args.repeat // 4
        ),
        "decide, 1 mbox": median_ms(lambda: decide(one), repeat=args.repeat),
        "jsonLogic(), one 4-clause condition": median_ms(
            lambda: jsonLogic(rule.condition, data), repeat=args.repeat
        ),
        "the same condition, compiled": median_ms(lambda: rule.check(data), repeat=args.repeat),
    }
    print(
        f"artifact: {rules} rules on {len(artifact.mboxes)} mboxes; "
        f"10-mbox request answered with options for {matched} of 10"
    )
    width = max(len(name) for name in figures)
    for name, ms in figures.items():
        print(f"  {name:<{width}}  {ms:8.3f} ms")
    print(f"  median decision, 10 mboxes: {figures['decide, 10 mboxes']:.3f} ms  (target <= 2)")


if __name__ == "__main__":
    main()
