"""A creator's own pages: sign-in, settings, linked accounts, Reddit connect, usage, their data."""
