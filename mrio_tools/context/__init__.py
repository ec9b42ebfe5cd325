"""National context: national series, country groups, per-capita accounts, prices and derived tables."""
