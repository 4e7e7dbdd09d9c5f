"""The one error a rule can raise, located the way an author reads the rule (line, column)."""

from __future__ import annotations


class PqlError(ValueError):
    """A rule the mock refuses, raised when the rule is compiled (created or updated).

    ``construct`` names an unsupported-but-real PQL construct (``"chain"``, ``"inSegment"``,
    ``"^"``, ...) so a client can tell "outside the mock's subset" from a plain typo, for which
    it is None. ``position`` is a 0-based character offset; ``line`` and ``column`` are 1-based.
    """

    def __init__(
        self,
        message: str,
        *,
        position: int,
        line: int,
        column: int,
        construct: str | None = None,
    ) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.position = position
        self.line = line
        self.column = column
        self.construct = construct


def error_at(text: str, position: int, message: str, construct: str | None = None) -> PqlError:
    """Build a PqlError at ``position`` of ``text``, counting lines the way editors do."""
    position = max(0, min(position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return PqlError(message, position=position, line=line, column=column, construct=construct)


class Refusal(Exception):
    """Raised inside the parser and compiler, which do not hold the rule text; ``compile_rule``
    turns it into a located :class:`PqlError`."""

    def __init__(self, position: int, message: str, construct: str | None = None) -> None:
        super().__init__(message)
        self.position = position
        self.message = message
        self.construct = construct
