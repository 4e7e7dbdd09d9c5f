"""Adobe Target: the Delivery API, the on-device rules artifact, and the engine behind both.

The same artifact the SDK downloads for on-device decisioning drives the mock's server-side
answers, so server-side, on-device and hybrid modes of Adobe's SDKs agree. The core
(``artifact``, ``table``, ``context``, ``engine``, ``ids``, ``scopes``) knows nothing of HTTP;
``handlers``, ``proxy`` and ``tls`` are the thin shell around it.
"""
