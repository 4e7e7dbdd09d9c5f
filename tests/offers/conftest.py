from typing import Any

import pytest

from mockxcore import MockServer
from tests.support import Api

OM = "https://ns.adobe.com/experience/offer-management/"
PLACEMENT, OFFER, FALLBACK = (
    OM + "offer-placement",
    OM + "personalized-offer",
    OM + "fallback-offer",
)
RULE, TAG, FILTER, ACTIVITY = (
    OM + "eligibility-rule",
    OM + "tag",
    OM + "offer-filter",
    OM + "offer-activity",
)
IMAGELINK = OM + "content-component-imagelink"
TEXT = OM + "content-component-text"
HTML = OM + "content-component-html"


class Catalog:
    """Builds offer-management objects through the API and remembers their receipts."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def make(self, schema: str, instance: dict[str, Any]) -> dict[str, Any]:
        return self.api.create_ok(instance, schema=schema)

    def placement(self, name: str = "Web banner", component: str = IMAGELINK) -> dict[str, Any]:
        return self.make(
            PLACEMENT,
            {
                "xdm:name": name,
                "xdm:channel": "https://ns.adobe.com/xdm/channels/web",
                "xdm:componentType": component,
            },
        )

    def tag(self, name: str) -> dict[str, Any]:
        return self.make(TAG, {"xdm:name": name})

    def rule(self, pql: str = 'membership.status = "gold"') -> dict[str, Any]:
        return self.make(
            RULE,
            {
                "xdm:name": "Gold members",
                "xdm:condition": {"xdm:type": "PQL", "xdm:format": "pql/text", "xdm:value": pql},
            },
        )

    @staticmethod
    def representation(placement: str, component: str = TEXT) -> dict[str, Any]:
        body = {"@type": component, "dc:format": "text/plain"}
        if component == TEXT:
            body["xdm:copyline"] = "Get what you want!"
        return {"xdm:placement": placement, "xdm:components": [body]}

    def offer_body(self, placement: str, **extra: Any) -> dict[str, Any]:
        return {
            "xdm:name": "An offer",
            "xdm:status": "draft",
            "xdm:representations": [self.representation(placement)],
            **extra,
        }

    def offer(self, placement: str, **extra: Any) -> dict[str, Any]:
        return self.make(OFFER, self.offer_body(placement, **extra))

    def fallback(self, placement: str, **extra: Any) -> dict[str, Any]:
        return self.make(
            FALLBACK,
            {
                "xdm:name": "Fallback",
                "xdm:status": "approved",
                "xdm:representations": [self.representation(placement)],
                **extra,
            },
        )

    def filter(self, kind: str, ids: list[str]) -> dict[str, Any]:
        return self.make(FILTER, {"xdm:name": "A filter", "xdm:filterType": kind, "ids": ids})

    def activity(self, placement: str, filter_: str, fallback: str, **extra: Any) -> dict[str, Any]:
        return self.make(
            ACTIVITY,
            {
                "xdm:name": "An activity",
                "xdm:status": "live",
                "xdm:placement": placement,
                "xdm:filter": filter_,
                "xdm:fallback": fallback,
                **extra,
            },
        )


@pytest.fixture
def catalog(mockxcore: MockServer) -> Catalog:
    return Catalog(Api(mockxcore.url))
