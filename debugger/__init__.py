"""The live debugger: websocket consumer, live page and payload views."""
