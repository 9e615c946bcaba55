"""The test for ingest paths, shared by the ASGI router and the CORS middleware."""

INGEST_PREFIX = "/v1/"
# analytics.js posts to "<apiHost>/t", "/b" ...; with an apiHost configured
# without "/v1" those land at the root, so the short forms are served there too.
ROOT_SHORT_PATHS = frozenset({"/t", "/i", "/p", "/s", "/g", "/a", "/b", "/m"})


def is_ingest_path(path: str) -> bool:
    return path.startswith(INGEST_PREFIX) or path in ROOT_SHORT_PATHS
