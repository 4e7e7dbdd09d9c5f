"""Adobe Target: the Delivery API, the on-device rules artifact, and the engine behind both.

The same artifact the SDK downloads for on-device decisioning drives the mock's server-side
answers, so server-side, on-device and hybrid modes of Adobe's SDKs agree. The core knows
nothing of HTTP: ``artifact`` (format, checks, index), ``table`` (decision tables compiled to
artifacts), ``context`` (what rules see), ``logic`` (compiled json-logic), ``macros``,
``engine`` (decisions), ``ids``, ``scopes`` (decision-scope mboxes), ``state``. ``handlers``,
``proxy``, ``tls`` and ``openapi`` are the shell.
"""
