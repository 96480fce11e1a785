"""Registration of the movable assets' object types, one module per subject.

Imported in this order on purpose: the types are registered, and so listed in the menu, in the
order a person meets them (accounting rules first, campaigns last).
"""

from dpti.assets.object_types import menu  # noqa: F401, I001
from dpti.assets.object_types import accounting  # noqa: F401
from dpti.assets.object_types import assets  # noqa: F401
from dpti.assets.object_types import campaigns  # noqa: F401
