"""Web sign-in, sessions and identity linking (issue 11). See `core.auth.service`."""
