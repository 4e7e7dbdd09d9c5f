"""The PQL subset eligibility rules are written in (docs/pql.md is the user reference).

``compile_rule(text)`` parses and checks a rule once, raising :class:`PqlError` for anything
outside the subset; ``Rule.evaluate(profile, context, now)`` answers a bool and never raises.
"""

from mockxcore.decisioning.pql.errors import PqlError
from mockxcore.decisioning.pql.rules import Profile, Rule, compile_rule

__all__ = ["PqlError", "Profile", "Rule", "compile_rule"]
