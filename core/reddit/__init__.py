"""Reddit: connected accounts, rule checks and posting (through asyncpraw)."""
