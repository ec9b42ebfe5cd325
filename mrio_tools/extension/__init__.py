"""Years outside the tables: the extension plan, scaled tables and emissions, the skill test."""
