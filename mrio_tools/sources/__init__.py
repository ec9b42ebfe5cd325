"""Publisher sources: one module per source, each with `available_years` and a reader returning `MRIO`.

`load_mrio` is the single entry the command line and the report use; it knows which arguments each
source needs and gives a clear error when one is missing or a year is not in the data folder.
"""
