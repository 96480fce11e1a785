"""Who a signed-in user is in the directory, for object-level scoping."""


def person_of(user):
    """The Person linked to the account, or None (cached on the user object)."""
    if not hasattr(user, "_dpti_person"):
        from dpti.directory.models import Person

        user._dpti_person = Person.objects.filter(user=user).select_related("company").first()
    return user._dpti_person


def company_of(user):
    """The id of the company the account's person works for, or None."""
    person = person_of(user)
    return person.company_id if person else None


def held_by_requester(queryset, user, holder_path):
    """What a requester holds himself (his equipment, his lines); nothing for other scoped
    users such as contractors."""
    from dpti.core import roles

    if roles.REQUESTER in user.role_names:
        person = person_of(user)
        return queryset.filter(**{holder_path: person}) if person else queryset.none()
    return queryset.none()
