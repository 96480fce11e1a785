"""Factories of test data (factory_boy), one module per app, with French-looking values.

Each app's factories live in its module (`tests.factories.assets`…); this package re-exports
them all, so that `from tests.factories import PersonFactory` keeps working. A module that
registers a new object type adds its factory to its app's module: `FACTORY_FOR_MODEL`, the
registry of the generic tests, picks it up.
"""

import factory

from dpti.core.registry import registry
from tests.factories import assets, core, directory, estate, itpark, procurement

APP_MODULES = (core, directory, estate, assets, itpark, procurement)


def _factories(module):
    """The model factories defined in a module (not those it imports)."""
    return {
        name: value
        for name, value in vars(module).items()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value.__module__ == module.__name__
    }


def _factory_for_model():
    """{registered model: its factory}, one factory per registered model."""
    found = {}
    for module in APP_MODULES:
        for factory_class in _factories(module).values():
            model = factory_class._meta.model
            if model not in registry:
                continue
            if model in found:
                raise ValueError(
                    f"Two factories for {model._meta.label}: {found[model].__name__} and "
                    f"{factory_class.__name__}; FACTORY_FOR_MODEL takes one per registered model."
                )
            found[model] = factory_class
    return found


# Every factory under its own name, as when they were all in one module.
for _module in APP_MODULES:
    globals().update(_factories(_module))

# The factory of each registered model, for the generic tests that run over the registry.
FACTORY_FOR_MODEL = _factory_for_model()

# Relations the generic tests must leave empty when they fill a record's relations.
POPULATE_SKIP = {**itpark.POPULATE_SKIP, **procurement.POPULATE_SKIP}
