"""The clock: frozen, advanced, back to wall time; every timestamp and time rule reads it."""

from datetime import UTC, datetime

import pytest
import requests

from mockxcore import MockServer
from tests.support import Api


def test_freeze_advance_unfreeze_over_http(mockxcore: MockServer) -> None:
    clock = mockxcore.url + "/__admin/clock"
    frozen = requests.put(clock, json={"now": "2021-02-12T10:00:00Z"}).json()
    assert frozen == {"now": "2021-02-12T10:00:00.000Z", "frozen": True}
    assert requests.get(clock).json() == frozen
    moved = requests.put(clock, json={"advance": "PT5M"}).json()
    assert moved["now"] == "2021-02-12T10:05:00.000Z"
    assert requests.put(clock, json={"advance": "90s"}).json()["now"] == "2021-02-12T10:06:30.000Z"
    thawed = requests.delete(clock).json()
    assert thawed["frozen"] is False
    assert (
        abs(
            datetime.fromisoformat(thawed["now"].replace("Z", "+00:00")) - datetime.now(UTC)
        ).total_seconds()
        < 60
    )


def test_timestamps_the_mock_writes_read_the_clock(mockxcore: MockServer) -> None:
    mockxcore.freeze_clock("2021-02-12T10:00:00Z")
    api = Api(mockxcore.url)
    receipt = api.create_ok({"xdm:name": "x"})
    assert receipt["repo:createdDate"] == "2021-02-12T10:00:00.000Z"
    mockxcore.advance_clock("PT1H")
    patched = api.patch(
        receipt["instanceId"], [{"op": "add", "path": "/_instance/xdm:priority", "value": 1}]
    ).json()
    assert patched["repo:lastModifiedDate"] == "2021-02-12T11:00:00.000Z"
    assert patched["repo:createdDate"] == "2021-02-12T10:00:00.000Z"
    assert api.list().json()["requestTime"] == "2021-02-12T11:00:00.000Z"
    assert mockxcore.journal[-1]["time"] == "2021-02-12T11:00:00.000Z"


@pytest.mark.mockxcore(delete_after="10s")
def test_time_based_deletes_follow_the_clock(mockxcore: MockServer) -> None:
    mockxcore.freeze_clock("2021-02-12T10:00:00Z")
    api = Api(mockxcore.url)
    iid = api.create_ok({"xdm:name": "x"})["instanceId"]
    location = api.delete(iid).headers["Location"]
    assert [api.poll(location).status_code for _ in range(3)] == [202, 202, 202]
    mockxcore.advance_clock("9s")
    assert api.poll(location).status_code == 202
    mockxcore.advance_clock("1s")
    assert api.poll(location).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"now": "yesterday"},
        {"now": "2021-02-12"},
        {"advance": "soon"},
        {"advance": -5},
        {"now": "2021-02-12T10:00:00Z", "advance": "PT1M"},
        {},
        [],
        {"at": "x"},
    ],
)
def test_bad_clock_requests_are_400_and_change_nothing(mockxcore: MockServer, body: object) -> None:
    mockxcore.freeze_clock("2021-02-12T10:00:00Z")
    response = requests.put(mockxcore.url + "/__admin/clock", json=body)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert mockxcore.now() == datetime(2021, 2, 12, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [
        {"now": "9999-12-31T00:00:00Z"},
        {"now": "1969-12-31T23:59:59Z"},
        {"advance": "99999999999999d"},
        {"advance": 1e300},
    ],
)
def test_the_clock_stays_in_range(mockxcore: MockServer, body: dict[str, object]) -> None:
    clock = mockxcore.url + "/__admin/clock"
    requests.put(clock, json={"now": "8999-06-01T00:00:00Z"})
    response = requests.put(clock, json=body)
    assert response.status_code == 400, response.text
    assert requests.get(clock).json()["now"] == "8999-06-01T00:00:00.000Z"
    assert requests.put(clock, json={"advance": "36500d"}).status_code == 400  # past 9000


def test_early_years_are_written_with_four_digits() -> None:
    from mockxcore import timestamps

    moment = datetime(534, 5, 23, 22, 50, 1, 269000, tzinfo=UTC)
    assert timestamps.format(moment) == "0534-05-23T22:50:01.269Z"
    micros = timestamps.epoch_micros(moment)
    assert timestamps.parse(timestamps.from_epoch_micros(micros)) == moment
