"""Registration of the real estate's object types, one module per subject.

Imported in this order on purpose: the types are registered, and so listed in the menu, from
the site down to the room, then the leases.
"""

from dpti.estate.object_types import menu  # noqa: F401, I001
from dpti.estate.object_types import premises  # noqa: F401
from dpti.estate.object_types import leases  # noqa: F401
