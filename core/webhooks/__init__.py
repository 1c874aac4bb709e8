"""Signed HTTP calls between our processes and to webhook receivers.

`signing` (the header, `Verifier` with its replay window), `seen` (the replay guard's
store: memory or Redis), `sender` (aiohttp client that signs), `internal` (calls other
processes make to the web process, e.g. "this user's plan changed").
"""
