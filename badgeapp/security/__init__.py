"""Request security shared by every family: signed URLs (``signing``), abuse detection
(``abuse``, with its cross-worker state in ``abuse_store``) and the way both refuse a request
(``refusal``). They run as app-wide ``before_request``/``after_request`` hooks, installed by
their ``badgeapp_startup`` hook implementations, so no family has to know about them."""
