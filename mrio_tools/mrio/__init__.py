"""The MRIO container and its checks, stressor definitions and concordances of emission classifications."""
