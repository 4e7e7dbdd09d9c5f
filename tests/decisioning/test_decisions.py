"""Each selection step of a decision, over HTTP, with a test that fails if the step is removed."""

from collections import Counter
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from tests.decisioning.conftest import Runtime
from tests.offers.conftest import OFFER
from tests.support import headers


class Scene:
    """A web placement, an email placement, tags, a fallback, and helpers to add offers and
    activities."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        c = rt.catalog
        self.web = c.placement("web")["@id"]
        self.email = c.placement("email")["@id"]
        self.cards = c.tag("cards")["@id"]
        self.travel = c.tag("travel")["@id"]
        self.fallback = c.make(
            "https://ns.adobe.com/experience/offer-management/fallback-offer",
            {
                "xdm:name": "fallback",
                "xdm:status": "approved",
                "xdm:representations": [c.representation(self.web), c.representation(self.email)],
            },
        )["@id"]

    def offer(
        self,
        name: str,
        *,
        status: str = "approved",
        placements: list[str] | None = None,
        tags: list[str] | None = None,
        priority: int = 0,
        **extra: Any,
    ) -> str:
        c = self.rt.catalog
        body = {
            "xdm:name": name,
            "xdm:status": status,
            "xdm:representations": [c.representation(p) for p in placements or [self.web]],
            "xdm:tags": tags if tags is not None else [self.cards],
            "xdm:rank": {"xdm:priority": priority},
            **extra,
        }
        return str(c.make(OFFER, body)["@id"])

    def activity(
        self,
        kind: str = "anyTags",
        ids: list[str] | None = None,
        placement: str | None = None,
        **extra: Any,
    ) -> str:
        c = self.rt.catalog
        filter_id = c.filter(kind, ids or [self.cards])["@id"]
        return str(c.activity(placement or self.web, filter_id, self.fallback, **extra)["@id"])


@pytest.fixture
def scene(runtime: Runtime) -> Scene:
    return Scene(runtime)


def test_only_approved_offers(scene: Scene) -> None:
    scene.offer("draft", status="draft", priority=9)
    scene.offer("archived", status="archived", priority=8)
    approved = scene.offer("approved", priority=1)
    assert scene.rt.chosen(scene.activity()) == [approved]


@pytest.mark.parametrize("kind", ["offers", "anyTags", "allTags"])
def test_filter_kinds(scene: Scene, kind: str) -> None:
    both = scene.offer("both", tags=[scene.cards, scene.travel], priority=1)
    cards = scene.offer("cards only", tags=[scene.cards], priority=5)
    travel = scene.offer("travel only", tags=[scene.travel], priority=9)
    ids = {
        "offers": [both, cards],
        "anyTags": [scene.cards, scene.travel],
        "allTags": [scene.cards, scene.travel],
    }[kind]
    activity = scene.activity(kind, ids)
    expected = {"offers": [cards, both], "anyTags": [travel, cards, both], "allTags": [both]}[kind]
    assert scene.rt.chosen(activity, **{"xdm:itemCount": 3}) == expected


def test_placement_must_have_a_representation(scene: Scene) -> None:
    scene.offer("email only", placements=[scene.email], priority=9)
    web = scene.offer("web", placements=[scene.web], priority=1)
    assert scene.rt.chosen(scene.activity()) == [web]
    assert scene.rt.chosen(scene.activity(placement=scene.email))[0].startswith("xcore:personal")


def test_calendar_window_by_the_mock_clock(scene: Scene) -> None:
    window = {
        "xdm:selectionConstraint": {
            "xdm:startDate": "2030-01-01T00:00:00Z",
            "xdm:endDate": "2030-01-31T00:00:00Z",
        }
    }
    dated = scene.offer("january 2030", priority=9, **window)
    always = scene.offer("always", priority=1)
    activity = scene.activity()
    mock = scene.rt.mock
    mock.freeze_clock("2029-12-31T23:59:59Z")
    assert scene.rt.chosen(activity) == [always]
    mock.advance_clock("1s")
    assert scene.rt.chosen(activity) == [dated]
    mock.freeze_clock("2030-01-31T00:00:01Z")
    assert scene.rt.chosen(activity) == [always]


def test_activity_must_be_live_and_in_its_dates(scene: Scene) -> None:
    scene.offer("o")
    draft = scene.activity(**{"xdm:status": "draft"})
    dated = scene.activity(**{"xdm:startDate": "2030-01-01T00:00:00Z"})
    scene.rt.mock.freeze_clock("2029-06-01T00:00:00Z")
    decision = scene.rt.decide([draft, dated])
    assert [p["xdm:error"]["type"] for p in decision["xdm:propositions"]] == [
        "urn:mockxcore:problem:activity-not-live",
        "urn:mockxcore:problem:activity-not-active",
    ]


def test_eligibility_rule_reads_the_profile(scene: Scene) -> None:
    rule = scene.rt.catalog.rule('membership.status = "gold"')["@id"]
    gold = scene.offer(
        "gold", priority=9, **{"xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}
    )
    anyone = scene.offer("anyone", priority=1)
    activity = scene.activity()
    scene.rt.profile("gold@example.com", {"membership": {"status": "gold"}})
    scene.rt.profile("basic@example.com", {"membership": {"status": "basic"}})
    assert scene.rt.chosen(activity, "gold@example.com") == [gold]
    assert scene.rt.chosen(activity, "basic@example.com") == [anyone]
    assert scene.rt.chosen(activity, "unknown@example.com") == [anyone]  # empty profile


def test_the_seed_rule_end_to_end(scene: Scene) -> None:
    flight = "https://ns.example.com/flight-context"
    rule = scene.rt.catalog.rule(
        'membership.status = "elite" and (select e from xEvent where e.type = "flight" and '
        f"e.flightnumber = @{{{flight}}}.flightnumber and "
        "e.timestamp occurs <= 6 months before now).count() > 3"
    )["@id"]
    upgrade = scene.offer(
        "free upgrade", priority=9, **{"xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}
    )
    scene.offer("anyone", priority=1)
    activity = scene.activity()
    scene.rt.mock.freeze_clock("2021-06-30T12:00:00Z")
    flights = [
        {"type": "flight", "flightnumber": "LH400", "timestamp": f"2021-0{m}-10T08:00:00Z"}
        for m in (2, 3, 4, 5)
    ]
    old = [{"type": "flight", "flightnumber": "LH400", "timestamp": "2020-06-10T08:00:00Z"}]
    scene.rt.profile("elite@example.com", {"membership": {"status": "elite"}}, events=flights)
    scene.rt.profile(
        "three@example.com", {"membership": {"status": "elite"}}, events=flights[:3] + old
    )
    context = {"xdm:contextData": [{"@type": flight, "xdm:data": {"flightnumber": "LH400"}}]}
    assert scene.rt.chosen(activity, "elite@example.com", **context) == [upgrade]
    assert scene.rt.chosen(activity, "three@example.com", **context) != [upgrade]
    other_flight = {"xdm:contextData": [{"@type": flight, "xdm:data": {"flightnumber": "BA1"}}]}
    assert scene.rt.chosen(activity, "elite@example.com", **other_flight) != [upgrade]


def test_global_cap(scene: Scene) -> None:
    capped = scene.offer("capped", priority=9, **{"xdm:cappingConstraint": {"xdm:globalCap": 2}})
    activity = scene.activity()
    chosen = [scene.rt.chosen(activity, f"p{n}@example.com")[0] for n in range(3)]
    assert chosen[:2] == [capped, capped]
    assert chosen[2].startswith("fallback:")


def test_profile_cap(scene: Scene) -> None:
    capped = scene.offer("capped", priority=9, **{"xdm:cappingConstraint": {"xdm:profileCap": 1}})
    activity = scene.activity()
    assert scene.rt.chosen(activity, "a@example.com") == [capped]
    assert scene.rt.chosen(activity, "a@example.com")[0].startswith("fallback:")
    assert scene.rt.chosen(activity, "b@example.com") == [capped]


def test_dry_run_changes_nothing(scene: Scene) -> None:
    capped = scene.offer("capped", priority=9, **{"xdm:cappingConstraint": {"xdm:globalCap": 1}})
    activity = scene.activity()
    for _ in range(3):
        assert scene.rt.chosen(activity, **{"xdm:dryRun": True}) == [capped]
    events = requests.get(scene.rt.mock.url + "/__admin/decisions", headers=headers()).json()
    assert events == []
    assert scene.rt.chosen(activity) == [capped]
    assert scene.rt.chosen(activity)[0].startswith("fallback:")
    events = requests.get(scene.rt.mock.url + "/__admin/decisions", headers=headers()).json()
    assert [e["propositions"][0]["options"] for e in events] == [[capped], []]


def test_priority_higher_first(scene: Scene) -> None:
    low = scene.offer("low", priority=1)
    high = scene.offer("high", priority=50)
    middle = scene.offer("middle", priority=20)
    assert scene.rt.chosen(scene.activity(), **{"xdm:itemCount": 3}) == [high, middle, low]


def test_ties_are_broken_by_the_seeded_rng() -> None:
    def sequence(seed: int) -> list[str]:
        with MockServer(seed=seed) as mock:
            rt = Runtime(mock)
            scene = Scene(rt)
            names = {scene.offer(f"tie {n}", priority=5): n for n in range(4)}
            activity = scene.activity()
            return [str(names[rt.chosen(activity)[0]]) for _ in range(24)]

    first = sequence(3)
    assert first == sequence(3)
    assert len(set(first)) > 1  # ties really are shuffled
    assert first != sequence(4)


def test_arbitration_across_activities(scene: Scene) -> None:
    best = scene.offer("best", priority=9)
    second = scene.offer("second", priority=5)
    one, two, three = scene.activity(), scene.activity(), scene.activity()
    decision = scene.rt.decide([one, two, three])
    chosen = [
        p["xdm:options"][0]["xdm:id"] if p["xdm:options"] else "fallback"
        for p in decision["xdm:propositions"]
    ]
    assert chosen == [best, second, "fallback"]
    allowed = scene.rt.decide(
        [one, two], **{"xdm:allowDuplicatePropositions": {"xdm:acrossActivities": True}}
    )
    assert [p["xdm:options"][0]["xdm:id"] for p in allowed["xdm:propositions"]] == [best, best]


def test_fallback_when_nothing_qualifies(scene: Scene) -> None:
    activity = scene.activity()
    [proposition] = scene.rt.decide([activity])["xdm:propositions"]
    assert proposition["xdm:options"] == []
    assert proposition["xdm:fallback"]["xdm:id"] == scene.fallback
    assert proposition["xdm:fallback"]["xdm:representation"]["xdm:placement"] == scene.web


def test_proposition_shape(scene: Scene) -> None:
    offer = scene.offer("shaped", priority=3, **{"xdm:characteristics": {"tier": "gold"}})
    activity = scene.activity()
    decision = scene.rt.decide([activity])
    assert decision["xdm:dryRun"] is False
    assert decision["xdm:profile"] == {
        "xdm:namespace": "Email",
        "xdm:id": "ann@example.com",
        "xdm:known": False,
    }
    [proposition] = decision["xdm:propositions"]
    assert proposition["xdm:activity"] == {"xdm:id": activity, "repo:etag": 1}
    assert proposition["xdm:placement"] == {"xdm:id": scene.web, "repo:etag": 1}
    [option] = proposition["xdm:options"]
    assert option["xdm:id"] == offer and option["repo:etag"] == 1
    assert option["xdm:representation"]["xdm:components"][0]["xdm:copyline"]
    assert option["xdm:characteristics"] == {"tier": "gold"}
    assert option["xdm:priority"] == 3


def test_the_first_known_identity_selects_the_profile(scene: Scene) -> None:
    rule = scene.rt.catalog.rule('membership.status = "gold"')["@id"]
    gold = scene.offer(
        "gold", priority=9, **{"xdm:selectionConstraint": {"xdm:eligibilityRule": rule}}
    )
    scene.rt.profile("known@example.com", {"membership": {"status": "gold"}})
    body = {
        "xdm:offerActivities": [scene.activity()],
        "xdm:identityMap": {
            "ECID": [{"xdm:id": "12345"}],
            "Email": [{"xdm:id": "known@example.com"}],
        },
    }
    decision = scene.rt.post(body).json()
    assert decision["xdm:profile"] == {
        "xdm:namespace": "Email",
        "xdm:id": "known@example.com",
        "xdm:known": True,
    }
    assert decision["xdm:propositions"][0]["xdm:options"][0]["xdm:id"] == gold


def test_unknown_activity_is_an_error_entry_and_the_rest_is_decided(scene: Scene) -> None:
    offer = scene.offer("o")
    activity = scene.activity()
    decision = scene.rt.decide(["xcore:offer-activity:000000000000000", activity])
    missing, decided = decision["xdm:propositions"]
    assert missing["xdm:error"]["status"] == 404
    assert decided["xdm:options"][0]["xdm:id"] == offer


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (
            {
                "xdm:offerActivities": [f"xcore:offer-activity:{n:015x}" for n in range(31)],
                "xdm:identityMap": {"Email": [{"xdm:id": "a"}]},
            },
            "/xdm:offerActivities",
        ),
        (
            {"xdm:offerActivities": [], "xdm:identityMap": {"Email": [{"xdm:id": "a"}]}},
            "/xdm:offerActivities",
        ),
        ({"xdm:offerActivities": ["x"]}, "/xdm:identityMap"),
        (
            {"xdm:offerActivities": ["x"], "xdm:identityMap": {"Email": "a"}},
            "/xdm:identityMap/Email",
        ),
        (
            {"xdm:offerActivities": ["x"], "xdm:identityMap": {"Email": [{"id": "a"}]}},
            "/xdm:identityMap/Email/0/xdm:id",
        ),
        (
            {
                "xdm:offerActivities": ["x"],
                "xdm:identityMap": {"Email": [{"xdm:id": "a"}]},
                "xdm:contextData": [{"xdm:data": {}}],
            },
            "/xdm:contextData/0/@type",
        ),
        (
            {
                "xdm:offerActivities": ["x"],
                "xdm:identityMap": {"Email": [{"xdm:id": "a"}]},
                "xdm:dryRun": "yes",
            },
            "/xdm:dryRun",
        ),
    ],
)
@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_malformed_requests_are_400_naming_the_field(
    runtime: Runtime, body: Any, pointer: str
) -> None:
    response = runtime.post(body)
    assert response.status_code == 400, response.text
    assert response.headers["Content-Type"] == "application/problem+json"
    assert pointer in [e["pointer"] for e in response.json()["errors"]]


def test_validate_context_data(scene: Scene) -> None:
    activity = scene.activity()
    schema = "https://ns.adobe.com/experience/offer-management/tag"  # any registered schema
    good = {"@type": schema, "xdm:data": {"xdm:name": "x"}}
    bad = {"@type": schema, "xdm:data": {"xdm:name": 5}}
    unknown = {"@type": "https://example.com/unregistered", "xdm:data": {}}
    body = {
        "xdm:offerActivities": [activity],
        "xdm:identityMap": {"Email": [{"xdm:id": "a"}]},
        "xdm:validateContextData": True,
    }
    assert scene.rt.post({**body, "xdm:contextData": [good]}).status_code == 200
    failed = scene.rt.post({**body, "xdm:contextData": [good, bad, unknown]})
    assert failed.status_code == 400
    pointers = [e["pointer"] for e in failed.json()["errors"]]
    assert pointers == ["/xdm:contextData/1/xdm:data/xdm:name", "/xdm:contextData/2/@type"]
    unchecked = scene.rt.post(
        {**body, "xdm:validateContextData": False, "xdm:contextData": [bad, unknown]}
    )
    assert unchecked.status_code == 200


@pytest.mark.mockxcore(strict=False)  # sends invalid requests on purpose
def test_wrong_media_type_and_unknown_container(runtime: Runtime) -> None:
    body = {"xdm:offerActivities": ["x"], "xdm:identityMap": {"Email": [{"xdm:id": "a"}]}}
    wrong = requests.post(
        runtime.base + "/decisions", json=body, headers={**headers(), "Content-Type": "text/plain"}
    )
    assert wrong.status_code == 415
    missing = requests.post(
        runtime.mock.url + "/data/core/ode/nope/decisions", json=body, headers=headers()
    )
    assert missing.status_code == 404
    unauthenticated = requests.post(runtime.base + "/decisions", json=body)
    assert unauthenticated.status_code == 401


def test_decisions_are_isolated_per_tenant(scene: Scene) -> None:
    scene.offer("o")
    activity = scene.activity()
    other = {**headers("other@AdobeOrg"), "Content-Type": "application/json"}
    body = {"xdm:offerActivities": [activity], "xdm:identityMap": {"Email": [{"xdm:id": "a"}]}}
    # Another org cannot reach this container at all.
    response = requests.post(scene.rt.base + "/decisions", json=body, headers=other)
    assert response.status_code == 404


def test_ties_spread_over_many_decisions(scene: Scene) -> None:
    offers = [scene.offer(f"tie {n}", priority=7) for n in range(3)]
    activity = scene.activity()
    counts = Counter(scene.rt.chosen(activity)[0] for _ in range(60))
    assert set(counts) == set(offers)
