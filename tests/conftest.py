import pytest

from mockxcore import MockServer
from tests.support import Api


@pytest.fixture
def api(mockxcore: MockServer) -> Api:
    """The repository API of this test's own mock, as org test@AdobeOrg / sandbox prod."""
    return Api(mockxcore.url)
