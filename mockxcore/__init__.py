"""mockxcore: a stateful test double and contract-testing kit for Adobe Target Delivery and the
Experience Platform Decisioning ("xcore") APIs."""

__version__ = "0.1.0"

from mockxcore.config import Config
from mockxcore.testing.server import MockServer

__all__ = ["Config", "MockServer", "__version__"]
