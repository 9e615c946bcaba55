"""The DRF layer: ingest endpoints, the read API, and their shared pieces."""
