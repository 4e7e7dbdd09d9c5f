from collections.abc import Callable
from typing import Any

import pytest
import requests

from mockxcore import MockServer
from tests.offers.conftest import Catalog
from tests.support import Api, headers

DecideFn = Callable[..., dict[str, Any]]


class Runtime:
    """The decisioning runtime of one mock, for one org/sandbox."""

    def __init__(self, mock: MockServer) -> None:
        self.mock = mock
        self.api = Api(mock.url)
        self.catalog = Catalog(self.api)
        self.base = f"{mock.url}/data/core/ode/{self.api.container}"

    def post(self, body: Any) -> requests.Response:
        return requests.post(
            self.base + "/decisions",
            json=body,
            headers={
                **headers(),
                "Content-Type": 'application/vnd.adobe.xdm+json; schema="https://ns.'
                'adobe.com/experience/offer-management/decision-request;version=0.5"',
            },
        )

    def decide(
        self, activities: list[str], who: str = "ann@example.com", **options: Any
    ) -> dict[str, Any]:
        body = {
            "xdm:offerActivities": activities,
            "xdm:identityMap": {"Email": [{"xdm:id": who}]},
            **options,
        }
        response = self.post(body)
        assert response.status_code == 200, response.text
        decision: dict[str, Any] = response.json()
        return decision

    def chosen(self, activity: str, who: str = "ann@example.com", **options: Any) -> list[str]:
        """The offers (or ``["fallback:<id>"]``) one activity proposes."""
        [proposition] = self.decide([activity], who, **options)["xdm:propositions"]
        assert "xdm:error" not in proposition, proposition
        if proposition["xdm:options"]:
            return [o["xdm:id"] for o in proposition["xdm:options"]]
        return ["fallback:" + proposition["xdm:fallback"]["xdm:id"]]

    def profile(self, who: str, attributes: dict[str, Any] | None = None, **extra: Any) -> None:
        response = requests.put(
            f"{self.mock.url}/__admin/profiles/Email/{who}",
            json={"attributes": attributes or {}, **extra},
            headers=headers(),
        )
        assert response.status_code == 200, response.text


@pytest.fixture
def runtime(mockxcore: MockServer) -> Runtime:
    return Runtime(mockxcore)
