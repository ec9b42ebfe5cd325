"""The report: figures and files built from long account tables (the last step of the pipeline)."""
