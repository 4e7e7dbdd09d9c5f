"""Using mockxcore from Python tests: :class:`MockServer` and the pytest plugin."""
