"""A/B tests: experiments defined in configuration, assigned by a hash of user and
experiment, with exposures and conversions stored and a significance report per
experiment (`stats.py`, pure Python)."""
