"""Core models: accounts, the base of every business model, and the generic features."""

from dpti.core.models.attachments import Attachment, Comment
from dpti.core.models.base import BaseModel, ConcurrentEditError
from dpti.core.models.deadlines import CalendarToken, Deadline
from dpti.core.models.imports import ImportJob, ImportMapping
from dpti.core.models.numbering import NumberSequence
from dpti.core.models.users import User, UserPreference
from dpti.core.models.validity import ValidityPeriod, ValidityQuerySet

__all__ = [
    "Attachment",
    "BaseModel",
    "CalendarToken",
    "Comment",
    "ConcurrentEditError",
    "Deadline",
    "ImportJob",
    "ImportMapping",
    "NumberSequence",
    "User",
    "UserPreference",
    "ValidityPeriod",
    "ValidityQuerySet",
]
