"""Sources: one module (or package) per publisher, each turning the files as shipped into an MRIO.

``registry`` declares what each source needs, the years it holds, its options and its reader.
"""

# the registry first: each source module declares its entry with the registry's classes
from mrio_tools.sources import registry as registry
