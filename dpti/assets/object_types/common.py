"""Rights shared by the movable assets' types."""

from dpti.core import roles

READ_INTERNAL = roles.grant(roles.INTERNAL_ROLES, "view")
PROPERTY_EDITS = {**READ_INTERNAL, roles.PROPERTY_MANAGER: "view add change delete"}
