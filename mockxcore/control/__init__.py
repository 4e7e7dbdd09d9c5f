"""The control plane: clock, admin API (and, as they land, latency, faults and the journal)."""
