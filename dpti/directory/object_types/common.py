"""Rights shared by the directory's types."""

from dpti.core import roles

READ_INTERNAL = roles.grant(roles.INTERNAL_ROLES, "view")
