"""Launch operations: the pre-launch checks (`thottopilot check`) and database
backup/restore (`thottopilot backup`, `thottopilot restore`).

Kept in core, free of any front door, so the web admin can show the same checks.
Nothing here imports a heavy SDK at import time: each check loads what it probes.
"""
