"""Registration of the IT park's object types, one module per subject.

Imported in this order on purpose: the types are registered, and so listed in the menu, in the
order a person meets them (devices first, procedures last).
"""

from dpti.itpark.object_types import menu  # noqa: F401, I001
from dpti.itpark.object_types import devices  # noqa: F401
from dpti.itpark.object_types import network  # noqa: F401
from dpti.itpark.object_types import applications  # noqa: F401
from dpti.itpark.object_types import telecom  # noqa: F401
from dpti.itpark.object_types import information  # noqa: F401
