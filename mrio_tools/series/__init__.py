"""Many years: one task per year, the store of parsed tables, the series folder (partitions + manifest)."""
