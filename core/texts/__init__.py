"""The one catalogue of user-facing text, split by feature.

Warm, concise, plain text (no markup, so every transport shows it the same way).
"""
