"""Database layer: base, models, engine, migrations runner."""
