"""Shields' live routes (``/github/stars/{user}/{repo}`` ...) mapped onto the provider plugins.

``routes`` holds the route table (shields' spellings, default labels, examples) and the
dispatcher the ``shields`` family calls; ``formats`` shields' message and colour rules;
``github``/``registries``/``services`` the per-service handlers that ask provider plugins for
values; ``dynamic`` the endpoint and dynamic (json/yaml/xml) badges over safe fetch.
"""
