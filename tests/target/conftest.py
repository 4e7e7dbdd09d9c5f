import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Until the Target tests mark their deliberately invalid requests one by one, the
    # fixture's contract check at teardown is off for this directory.
    for item in items:
        if "tests/target/" in item.nodeid:
            item.add_marker(pytest.mark.mockxcore(strict=False), append=False)
