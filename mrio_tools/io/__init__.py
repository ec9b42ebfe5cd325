"""Input and output at the edges: atomic writes, folder swaps, long tables, output paths, archives."""
