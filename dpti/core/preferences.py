"""Per-user preferences: the columns chosen for each list, the page size."""

from dpti.core.models import UserPreference


def table_key(object_type):
    return f"table:{object_type.label}"


def selectable_columns(user, object_type):
    """[(name, header)] of the columns this user may show (a scoped user does not read the
    names of related records whose type he may not view)."""
    from dpti.core.permissions import readable_relation

    return [
        (name, label)
        for name, label in object_type.table.selectable_columns()
        if readable_relation(user, object_type.model, name)
    ]


def chosen_columns(user, object_type):
    """The columns the user chose for this list, or the type's defaults."""
    available = {name for name, _label in selectable_columns(user, object_type)}
    if user.is_authenticated:
        pref = UserPreference.objects.filter(user=user, key=table_key(object_type)).first()
        if pref:
            columns = [c for c in pref.value.get("columns", []) if c in available]
            if columns:
                return columns
    return [c for c in object_type.get_default_columns() if c in available]


def save_columns(user, object_type, columns):
    """Remember the user's columns (unknown names are ignored); an empty choice resets."""
    available = {name for name, _label in object_type.table.selectable_columns()}
    columns = [c for c in columns if c in available]
    if not columns:
        UserPreference.objects.filter(user=user, key=table_key(object_type)).delete()
        return
    UserPreference.objects.update_or_create(
        user=user, key=table_key(object_type), defaults={"value": {"columns": columns}}
    )
