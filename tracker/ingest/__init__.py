"""The ingest path: parse, authenticate, enrich, validate, store, broadcast."""
