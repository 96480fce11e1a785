"""Rights shared by the IT park's types."""

from dpti.core import roles

READ_INTERNAL = roles.grant(roles.INTERNAL_ROLES, "view")
IT_EDITS = {**READ_INTERNAL, roles.IT_MANAGER: "view add change delete"}
# Technicians keep the park's facts current: devices, their ports and addresses.
IT_AND_TECHNICIANS = {**IT_EDITS, roles.TECHNICIAN: "view add change"}
