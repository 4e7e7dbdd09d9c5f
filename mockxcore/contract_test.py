"""``mockxcore contract-test BASE_URL``: does a server honour the repository contract?

Provider verification, driven by the Hypothesis strategies of :mod:`mockxcore.strategies`:
for each kind of business object, generated instances go through the whole life an Adobe
client puts them through -- create, follow ``Location`` to read, read again with
``If-None-Match``, find in a list, patch with ``If-Match``, patch with a stale etag, delete and
poll the status to its outcome, read it gone -- and generated invalid inputs must be refused.
Every answer is also checked against the contracts (status, media type, body).

The server may be the mock itself, a staging service, or Adobe's: requests carry the headers
given on the command line, and what is created is deleted again.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import orjson
import requests
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from mockxcore import strategies
from mockxcore.conformance import Conformance, parse_body
from mockxcore.contracts import CONTAINER_SCHEMA as CONTAINER
from mockxcore.offers.schemas import (
    ACTIVITY,
    FALLBACK,
    FILTER,
    OFFER,
    PLACEMENT,
    RULE,
    TAG,
    TEXT,
)
from mockxcore.xcore.mediatypes import HAL, PATCH_HAL, RECEIPT

MAX_POLLS = 30


class Violation(AssertionError):
    """The server did something the contract does not allow."""


@dataclass
class Result:
    check: str
    runs: int = 0
    """Requests sequences tried, shrinking included."""
    failure: str | None = None

    @property
    def passed(self) -> bool:
        return self.failure is None


@dataclass
class Provider:
    """The server under test, as one org and sandbox see it."""

    base_url: str
    headers: Mapping[str, str]
    conformance: Conformance
    session: requests.Session = field(default_factory=requests.Session)
    container: str = ""
    calls: int = 0

    def __post_init__(self) -> None:
        self.root = self.base_url.rstrip("/") + "/data/core/xcore"
        self.session.headers.update(self.headers)

    def call(
        self, method: str, url: str, expect: tuple[int, ...] | None = None, **kwargs: Any
    ) -> requests.Response:
        """One request; its answer must conform to the contracts (and be one of ``expect``)."""
        response = self.session.request(method, url, timeout=30, **kwargs)
        self.calls += 1
        path = urlsplit(response.url).path
        body = parse_body(response.content) if response.content else None
        problems = self.conformance.check_response(
            method, path, response.status_code, response.headers, body
        )
        if problems:
            first = problems[0]
            raise Violation(
                f"{method} {path} -> {response.status_code}: the answer breaks the "
                f"contract: {first.pointer or '/'}: {first.message}"
            )
        if expect is not None and response.status_code not in expect:
            raise Violation(
                f"{method} {path} answered {response.status_code}, expected "
                f"{' or '.join(map(str, expect))}: {response.text[:300]}"
            )
        return response

    def discover(self) -> None:
        home = self.call("GET", self.root + "/", (200,)).json()
        containers = home["_embedded"].get(CONTAINER, [])
        if not containers:
            raise Violation("the home document lists no container for these headers")
        self.container = containers[0]["instanceId"]

    @property
    def instances(self) -> str:
        return f"{self.root}/{self.container}/instances"

    def create(
        self, schema: str, instance: dict[str, Any], expect: tuple[int, ...] | None = (201,)
    ) -> requests.Response:
        return self.call(
            "POST",
            self.instances,
            expect,
            data=orjson.dumps({"_instance": instance, "_links": {}}),
            headers={"Content-Type": f'{HAL}; schema="{schema}"', "Accept": RECEIPT},
        )

    def delete(self, url: str) -> requests.Response:
        """DELETE, then poll its status until the outcome (the async delete protocol)."""
        answer = self.call("DELETE", url, (202,))
        base = answer.headers.get("Content-Base", self.root + "/")
        location = answer.headers.get("Location")
        if not location:
            raise Violation("a 202 to DELETE must name its status resource in Location")
        status_url = urljoin(base, location)
        for _ in range(MAX_POLLS):
            outcome = self.call("GET", status_url, (200, 202))
            if outcome.status_code == 200:
                if urljoin(base, outcome.headers.get("Location", location)) != status_url:
                    raise Violation("a delete status moved")
                return outcome
            time.sleep(0.05)
        raise Violation(f"the delete never reached its outcome in {MAX_POLLS} polls")

    def forget(self, url: str) -> None:
        """Delete if still there, quietly: clean-up after a failure must not hide it."""
        with suppress(Violation, requests.RequestException, ValueError):
            self.delete(url)


class Scenario:
    """The references generated objects need, created once on the server (and deleted after)."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.created: list[str] = []
        self.numbers = itertools.count(1)
        self.placement = self._make(
            PLACEMENT,
            {
                "xdm:name": "contract-test placement",
                "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
                "xdm:componentType": TEXT,
            },
        )
        self.tag = self._make(TAG, self.unique({"xdm:name": "contract-test tag"}))
        self.rule = self._make(
            RULE,
            {
                "xdm:name": "contract-test rule",
                "xdm:condition": {
                    "xdm:type": "PQL",
                    "xdm:format": "pql/text",
                    "xdm:value": 'tier = "gold"',
                },
            },
        )
        representation = {
            "xdm:placement": self.placement,
            "xdm:components": [{"@type": TEXT, "xdm:copyline": "hello"}],
        }
        self.fallback = self._make(
            FALLBACK,
            {
                "xdm:name": "contract-test fallback",
                "xdm:status": "approved",
                "xdm:representations": [representation],
            },
        )
        self.offer = self._make(
            OFFER,
            {
                "xdm:name": "contract-test offer",
                "xdm:status": "approved",
                "xdm:representations": [representation],
                "xdm:tags": [self.tag],
            },
        )
        self.filter = self._make(
            FILTER,
            {"xdm:name": "contract-test filter", "xdm:filterType": "anyTags", "ids": [self.tag]},
        )
        placements = {self.placement: TEXT}
        fallbacks = {self.fallback: [self.placement]}
        self.valid: dict[str, st.SearchStrategy[dict[str, Any]]] = {
            PLACEMENT: strategies.placements(),
            TAG: strategies.tags(),
            RULE: strategies.eligibility_rules(),
            OFFER: strategies.personalized_offers(
                placements=placements, tags=[self.tag], rules=[self.rule]
            ),
            FALLBACK: strategies.fallback_offers(placements=placements, tags=[self.tag]),
            FILTER: strategies.offer_filters(offers=[self.offer], tags=[self.tag]),
            ACTIVITY: strategies.offer_activities(
                filters=[self.filter], fallbacks=fallbacks, placements=[self.placement]
            ),
        }
        self.invalid: dict[str, st.SearchStrategy[tuple[dict[str, Any], str]]] = {
            PLACEMENT: strategies.invalid_placements(),
            TAG: strategies.invalid_tags(),
            RULE: strategies.invalid_eligibility_rules(),
            OFFER: strategies.invalid_personalized_offers(
                placements=placements, tags=[self.tag], rules=[self.rule]
            ),
            FALLBACK: strategies.invalid_fallback_offers(placements=placements),
            FILTER: strategies.invalid_offer_filters(offers=[self.offer], tags=[self.tag]),
            ACTIVITY: strategies.invalid_offer_activities(
                filters=[self.filter], fallbacks=fallbacks, placements=[self.placement]
            ),
        }

    def unique(self, instance: dict[str, Any]) -> dict[str, Any]:
        """Tag names numbered within the run, so generated tags never collide with earlier
        ones, and the same seed sends the same names."""
        suffix = f" #{next(self.numbers)}"
        return {**instance, "xdm:name": instance["xdm:name"][: 256 - len(suffix)] + suffix}

    def _make(self, schema: str, instance: dict[str, Any]) -> str:
        created = self.provider.create(schema, instance)
        self.created.append(urljoin(created.headers["Content-Base"], created.headers["Location"]))
        return str(created.json()["@id"])

    def clean_up(self) -> None:
        """Delete what the scenario made, referrers first."""
        for url in reversed(self.created):
            if self.provider.delete(url).json().get("outcome") == "rejected":
                raise Violation(f"{url} could not be deleted: it is still referenced")

    def references(self) -> dict[str, list[str]]:
        return {
            PLACEMENT: [self.placement],
            TAG: [self.tag],
            RULE: [self.rule],
            FILTER: [self.filter],
            FALLBACK: [self.fallback],
            OFFER: [self.offer],
        }


def life(provider: Provider, scenario: Scenario, schema: str, data: st.DataObject) -> None:
    """One generated object's whole life, every step checked."""
    instance = data.draw(scenario.valid[schema], label="instance")
    sent = scenario.unique(instance) if schema == TAG else instance
    created = provider.create(schema, sent)
    receipt = created.json()
    etag = receipt["repo:etag"]
    if created.headers.get("ETag") != f'"{etag}"':
        raise Violation(
            f"ETag header {created.headers.get('ETag')!r} is not the receipt's etag {etag} quoted"
        )
    if "Location" not in created.headers or "Content-Base" not in created.headers:
        raise Violation("a 201 must carry Location and Content-Base")
    url = urljoin(created.headers["Content-Base"], created.headers["Location"])
    try:
        _live(provider, scenario, schema, sent, receipt, url, data)
    except BaseException:  # a failed (or discarded) example leaves nothing behind either
        provider.forget(url)
        raise


def _live(
    provider: Provider,
    scenario: Scenario,
    schema: str,
    sent: dict[str, Any],
    receipt: dict[str, Any],
    url: str,
    data: st.DataObject,
) -> None:
    etag = receipt["repo:etag"]
    read = provider.call("GET", url, (200,))
    document = read.json()
    if document["_instance"] != {"@id": receipt["@id"], **sent}:
        raise Violation(f"read back {document['_instance']!r}, sent {sent!r}")
    if document["repo:etag"] != etag or read.headers.get("ETag") != f'"{etag}"':
        raise Violation("a read disagrees with the receipt about the etag")
    provider.call("GET", url, (304,), headers={"If-None-Match": f'"{etag}"'})
    self_link = document.get("_links", {}).get("self", {}).get("href")
    if not isinstance(self_link, str):
        raise Violation("a read instance has no _links.self.href")
    linked = provider.call("GET", provider.root + self_link, (200,)).json()
    if linked.get("instanceId") != receipt["instanceId"]:
        raise Violation(f"_links.self ({self_link}) does not lead back to the instance")
    listed = provider.call(
        "GET", provider.instances, (200,), params={"schema": schema, "id": receipt["@id"]}
    ).json()
    if [r["instanceId"] for r in listed["_embedded"]["results"]] != [receipt["instanceId"]]:
        raise Violation("listing by id does not find exactly the created instance")
    references = scenario.references()
    patch = data.draw(strategies.json_patches(document, references=references), label="patch")
    patched = provider.call(
        "PATCH",
        url,
        (200,),
        data=orjson.dumps(patch),
        headers={"Content-Type": PATCH_HAL, "If-Match": f'"{etag}"'},
    )
    new_etag = patched.json()["repo:etag"]
    if new_etag == etag:
        raise Violation("a patch did not change the etag")
    provider.call(
        "PATCH",
        url,
        (409, 412),
        data=orjson.dumps(patch),
        headers={"Content-Type": PATCH_HAL, "If-Match": f'"{etag}"'},
    )
    current = provider.call("GET", url, (200,)).json()
    bad_patch, rule = data.draw(
        strategies.invalid_json_patches(current, references=references), label="invalid patch"
    )
    refused = provider.call(
        "PATCH",
        url,
        data=orjson.dumps(bad_patch),
        headers={"Content-Type": PATCH_HAL, "If-Match": f'"{new_etag}"'},
    )
    if not 400 <= refused.status_code < 500:
        raise Violation(f"a patch breaking {rule!r} answered {refused.status_code}, not a 4xx")
    if provider.call("GET", url, (200,)).json()["repo:etag"] != new_etag:
        raise Violation(f"a refused patch (breaking {rule!r}) changed the instance")
    outcome = provider.delete(url).json()
    if outcome.get("outcome") == "rejected":
        raise Violation("deleting an unreferenced instance was rejected")
    provider.call("GET", url, (404,))


def refusal(provider: Provider, scenario: Scenario, schema: str, data: st.DataObject) -> None:
    """An instance breaking one rule is refused with a 4xx, and nothing is created."""
    instance, rule = data.draw(scenario.invalid[schema], label="invalid instance")
    answer = provider.create(schema, instance, expect=None)
    if not 400 <= answer.status_code < 500:
        if answer.status_code == 201:  # leave nothing behind, then report
            provider.delete(
                urljoin(
                    answer.headers.get("Content-Base", provider.root + "/"),
                    answer.headers.get("Location", ""),
                )
            )
        raise Violation(f"an instance breaking {rule!r} answered {answer.status_code}, not a 4xx")


def query(
    provider: Provider, path: str, strategy: st.SearchStrategy[Any], data: st.DataObject
) -> None:
    """A query the contract allows is answered 200 (and the answer conforms)."""
    params = data.draw(strategy, label="query")
    provider.call("GET", f"{provider.root}/{provider.container}{path}", (200,), params=params)


KINDS = (PLACEMENT, TAG, RULE, OFFER, FALLBACK, FILTER, ACTIVITY)


def run(
    base_url: str,
    headers: Mapping[str, str],
    conformance: Conformance,
    *,
    max_examples: int = 10,
    seed_value: int = 0,
    kinds: tuple[str, ...] = KINDS,
) -> list[Result]:
    """Every check against the server; each result names its first (shrunk) failure."""
    provider = Provider(base_url, headers, conformance)
    try:
        provider.discover()
        scenario = Scenario(provider)
    except (Violation, requests.RequestException, KeyError, ValueError) as exc:
        return [Result("setup", 0, f"{type(exc).__name__}: {exc}")]
    configured = settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        print_blob=False,
    )
    checks: list[tuple[str, Callable[[st.DataObject], None]]] = []
    for schema in kinds:
        kind = schema.rsplit("/", 1)[-1]
        checks.append(
            (
                f"{kind}: create, read, list, patch, delete",
                partial(life, provider, scenario, schema),
            )
        )
        checks.append(
            (f"{kind}: invalid instances refused", partial(refusal, provider, scenario, schema))
        )
    checks.append(
        ("list queries", partial(query, provider, "/instances", strategies.list_queries(TAG)))
    )
    checks.append(
        (
            "search queries",
            partial(query, provider, "/queries/core/search", strategies.search_queries(TAG)),
        )
    )
    results = [_check(name, configured, seed_value, body) for name, body in checks]
    try:
        scenario.clean_up()
    except (Violation, requests.RequestException) as exc:
        results.append(Result("clean-up", 0, f"{type(exc).__name__}: {exc}"))
    return results


def _check(
    name: str, configured: settings, seed_value: int, body: Callable[[st.DataObject], None]
) -> Result:
    """Run one property under Hypothesis; a failure reads as the shrunk example's story."""
    result = Result(name)

    @seed(seed_value)
    @configured
    @given(st.data())
    def test(data: st.DataObject) -> None:
        result.runs += 1
        body(data)

    try:
        test()
    except Exception as exc:  # whatever the server did is a finding, to report
        if isinstance(exc, Violation):
            message = str(exc)
        elif isinstance(exc, requests.RequestException):
            message = f"the server could not be reached: {exc}"
        else:
            message = f"{type(exc).__name__}: {exc}"
        notes = [n for n in getattr(exc, "__notes__", []) if n.startswith("Draw ")]
        result.failure = "\n".join([message, *notes])
    return result


# -- reports -------------------------------------------------------------------------------
def human(results: list[Result], base_url: str) -> str:
    failed = [r for r in results if not r.passed]
    lines = [
        f"contract test of {base_url}: {len(results) - len(failed)} passed, {len(failed)} failed"
    ]
    for result in results:
        mark = "ok  " if result.passed else "FAIL"
        lines.append(f"  {mark} {result.check} ({result.runs} runs)")
        if result.failure:
            lines += [f"       {line}" for line in result.failure.splitlines()]
    return "\n".join(lines) + "\n"


def as_json(results: list[Result], base_url: str) -> str:
    return (
        orjson.dumps(
            {
                "server": base_url,
                "passed": sum(r.passed for r in results),
                "failed": sum(not r.passed for r in results),
                "checks": [
                    {"check": r.check, "passed": r.passed, "runs": r.runs, "failure": r.failure}
                    for r in results
                ],
            },
            option=orjson.OPT_INDENT_2,
        ).decode()
        + "\n"
    )


def junit(results: list[Result], base_url: str) -> str:
    suite = ElementTree.Element(
        "testsuite",
        name=f"mockxcore contract-test {base_url}",
        tests=str(len(results)),
        failures=str(sum(not r.passed for r in results)),
    )
    for result in results:
        case = ElementTree.SubElement(
            suite, "testcase", classname="mockxcore.contract_test", name=result.check
        )
        if result.failure:
            failure = ElementTree.SubElement(
                case, "failure", message=result.failure.splitlines()[0][:500]
            )
            failure.text = result.failure
    return ElementTree.tostring(suite, encoding="unicode") + "\n"
