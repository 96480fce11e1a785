"""Serializers generated from the registry: the type's form fields, written through services.

Every write goes through `dpti.core.services.save_object`, which runs the model's `full_clean()`
(the rules the forms and imports apply) and the optimistic lock on `version`.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from dpti.core.api.fields import AmountSerializerField, LabelField, restrict_related_choices
from dpti.core.fields import AmountField
from dpti.core.models import BaseModel
from dpti.core.permissions import readable_relation
from dpti.core.registry import registry
from dpti.core.services import save_object

BOOKKEEPING_FIELDS = ("created_at", "updated_at", "created_by", "updated_by")


def api_url_name(object_type, action):
    """The namespaced URL name of an API endpoint of the type ('list' or 'detail')."""
    return f"api:{object_type.app_label}-{object_type.model_name}-{action}"


class ObjectSerializer(serializers.ModelSerializer):
    """Base of the generated serializers: names, links, restricted choices, service writes."""

    # Amounts in XPF take « 6 000 000 » as the forms do, within the model field's bounds.
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        AmountField: AmountSerializerField,
    }

    display = serializers.SerializerMethodField(
        help_text=_("The name of the object, as the screens show it.")
    )
    web_url = serializers.SerializerMethodField(
        help_text=_("Address of the object's page in the application.")
    )

    def get_display(self, obj) -> str:
        """The object as people read it."""
        return str(obj)

    def get_web_url(self, obj) -> str:
        """Absolute address of the generic detail page (empty when the type has none)."""
        path = registry.url_of(obj)
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None and path else path

    def get_fields(self):
        """Relations accept only the objects the requesting user may view.

        DRF's own uniqueness checks are dropped: the model's `full_clean()` (run by
        `save_object`) checks the same constraints with the messages the forms show.
        """
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None:
            restrict_related_choices(fields, user)
            model = self.Meta.model
            for name in [n for n in fields if n.endswith("_display")]:
                if not readable_relation(user, model, name.removesuffix("_display")):
                    del fields[name]  # the name of a record a scoped user may not read
        return fields

    def create(self, validated_data):
        """Create through `save_object` (model validation, audit actor, deadlines)."""
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        """Update through `save_object`, refusing a stale `version` (optimistic lock)."""
        return self._save(instance, validated_data)

    def _save(self, instance, validated_data):
        expected_version = validated_data.pop("version", None)
        many = {}
        for name, value in validated_data.items():
            if instance._meta.get_field(name).many_to_many:
                many[name] = value
            else:
                setattr(instance, name, value)
        if (
            instance._state.adding
            and isinstance(instance, AbstractBaseUser)
            and not instance.password
        ):
            # An account created through the API signs in once a password is set for it.
            instance.set_unusable_password()

        def save_many():
            for name, value in many.items():
                getattr(instance, name).set(value)

        request = self.context.get("request")
        return save_object(
            instance,
            user=getattr(request, "user", None),
            expected_version=None if instance._state.adding else expected_version,
            save_m2m=save_many,
        )


def display_field_for(model_field):
    """The read-only `<field>_display` companion of a relation or choice field, if any."""
    name = model_field.name
    if model_field.many_to_many:
        return serializers.ListField(
            child=LabelField(),
            source=f"{name}.all",
            read_only=True,
            help_text=_("Names of the linked objects."),
        )
    if model_field.is_relation:
        return LabelField(source=name, help_text=_("Name of the linked object."))
    if model_field.choices:
        return serializers.CharField(
            source=f"get_{name}_display", read_only=True, help_text=_("Label of the value.")
        )
    return None


def _is_plain_field(model, name):
    """Whether a detail field is a concrete column of the model (not a computed display)."""
    try:
        field = model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a computed value shown by a display_<name> method
        return False
    return field.concrete and not field.many_to_many


def build_serializer(object_type):
    """Build the ModelSerializer class of an object type from its `form_fields`."""
    model = object_type.model
    attrs = {
        "__doc__": type(object_type).__doc__,
        "url": serializers.HyperlinkedIdentityField(
            view_name=api_url_name(object_type, "detail"),
            help_text=_("Address of the object in the API."),
        ),
    }
    fields = ["id", "url", "display", "web_url"]
    meta = {"model": model, "validators": []}  # unique together: checked by full_clean
    form_fields = object_type.get_form_fields()
    # What the detail page shows beyond the form (an invoice's status and days late, computed
    # by the rules) is read in the API too, read-only.
    computed = [
        name
        for name in object_type.get_detail_fields()
        if name not in form_fields and _is_plain_field(model, name)
    ]
    for name in [*form_fields, *computed]:
        fields.append(name)
        companion = display_field_for(model._meta.get_field(name))
        if companion is not None:
            attrs[f"{name}_display"] = companion
            fields.append(f"{name}_display")
    if issubclass(model, BaseModel):
        attrs["version"] = serializers.IntegerField(
            min_value=1,
            required=False,
            help_text=_(
                "Version of the object. Send back the version you read: a change based on an "
                "older version is refused (409) instead of overwriting someone else's change."
            ),
        )
        fields += ["version", *BOOKKEEPING_FIELDS]
        meta["read_only_fields"] = BOOKKEEPING_FIELDS
    if computed:
        meta["read_only_fields"] = (*meta.get("read_only_fields", ()), *computed)
    attrs["Meta"] = type("Meta", (), {**meta, "fields": fields})
    # The app label keeps component names unique in the schema across modules.
    name = f"{object_type.app_label.capitalize()}{model.__name__}Serializer"
    return type(name, (ObjectSerializer,), attrs)
