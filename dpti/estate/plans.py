"""Floor plans: the PDF and image files attached to a floor."""

from django.contrib.contenttypes.models import ContentType

from dpti.core.models import Attachment
from dpti.core.views.attachments import INLINE_TYPES

PLAN_TYPES = {"application/pdf", *INLINE_TYPES}


def floor_plans(floor):
    """The floor's attached plans, newest first; images flagged to be shown in the page."""
    plans = list(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(floor),
            object_id=floor.pk,
            content_type_name__in=PLAN_TYPES,
        )
    )
    for plan in plans:
        plan.is_image = plan.content_type_name in INLINE_TYPES
    return plans
