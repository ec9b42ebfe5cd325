"""Sources: one module (or package) per publisher, each turning the files as shipped into an MRIO.

``registry`` declares what each source needs, the years it holds, its options and its reader.
"""
