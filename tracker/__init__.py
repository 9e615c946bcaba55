"""Trackside: a self-hosted, Segment-compatible track endpoint with a live event debugger."""
