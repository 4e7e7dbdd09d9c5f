"""Decisioning: the PQL subset for eligibility rules (``pql``), and the decision engine."""
