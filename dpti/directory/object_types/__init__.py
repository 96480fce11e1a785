"""Registration of the directory's object types, one module per subject.

Imported in this order on purpose: the types are registered, and so listed in the menu, as
organisation units, people, teams, companies.
"""

from dpti.directory.object_types import menu  # noqa: F401, I001
from dpti.directory.object_types import organisation  # noqa: F401
from dpti.directory.object_types import people  # noqa: F401
from dpti.directory.object_types import companies  # noqa: F401
