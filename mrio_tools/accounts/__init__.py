"""Accounts over a solved year: the national accounts (PBA, CBA, EEE, EEI, flows) and comparisons."""
