"""discord.py adapter: slash commands, buttons and selects, modals, DMs (see adapter)."""
