"""The peer of ``bench_http``: a bare Flask app answering fixed badge bytes and headers.

``BENCH_BODY_FILE`` names the file holding the bytes badgeapp serves for the benchmarked
badge; every request gets them (same Content-Type, Cache-Control and ETag), with nothing else.
"""

import os

from flask import Flask, Response

app = Flask(__name__)
with open(os.environ["BENCH_BODY_FILE"], "rb") as handle:
    BODY = handle.read()
HEADERS = {
    "Cache-Control": "public, max-age=86400, s-maxage=86400, stale-while-revalidate=86400",
    "ETag": '"bench"',
}


@app.route("/<path:anything>")
def badge(anything: str) -> Response:
    return Response(BODY, mimetype="image/svg+xml", headers=HEADERS)
