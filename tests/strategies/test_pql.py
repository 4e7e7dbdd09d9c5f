"""Every eligibility-rule condition drawn is in the PQL subset; every unsupported one is not."""

from __future__ import annotations

import pytest
from hypothesis import given

from mockxcore.decisioning.pql import PqlError, compile_rule
from mockxcore.strategies import eligibility_rules, pql_conditions, unsupported_pql


@given(text=pql_conditions())
def test_conditions_compile(text: str) -> None:
    compile_rule(text)


@given(rule=eligibility_rules())
def test_eligibility_rules_carry_a_compiling_condition(rule: dict[str, object]) -> None:
    condition = rule["xdm:condition"]
    assert isinstance(condition, dict)
    compile_rule(condition["xdm:value"])


@given(text=unsupported_pql())
def test_unsupported_pql_is_refused(text: str) -> None:
    with pytest.raises(PqlError):
        compile_rule(text)
