"""The registry of object types and navigation domains.

A business module declares each of its models once, as an `ObjectType` subclass in its
`object_types` package; the core builds from that declaration the list, detail, form, delete, bulk,
import and export views, the REST endpoint, the global search, the role permissions, the audit
trail and the deadlines. Core never imports a domain app: it discovers them here.
"""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.utils.functional import cached_property
from django.utils.module_loading import module_has_submodule


@dataclass(frozen=True)
class Domain:
    """A section of the navigation (Annuaire, Patrimoine, Parc informatique…)."""

    slug: str
    label: str
    icon: str
    order: int = 100


class ObjectType:
    """The declaration of one business model; subclass it and decorate with `@register`.

    Only `model` is required. Every generated class (table, filterset, form, serializer) can be
    replaced by setting the matching `*_class` attribute.
    """

    model = None
    domain = None  # slug of a registered Domain; None keeps the type out of the menu
    icon = "ti ti-file"
    url_slug = None  # defaults to the model name
    list_columns = ()  # columns a user may show; the first one links to the object
    # Headers of columns that are not model fields (annotations); a `display_<name>(obj)`
    # method with a `label` attribute both writes such a column and names it.
    column_labels = {}
    sortable_annotations = ()  # computed columns the database can sort by
    # Columns sorted by other fields than their own: {"address": ("family", "key")} sorts IP
    # addresses numerically, along an index, instead of as text.
    column_order_by = {}
    default_columns = ()  # columns shown until the user chooses; defaults to list_columns
    filter_fields = ()  # fields offered as list filters, also used by the API
    search_fields = ()  # fields matched by the quick search and the global search
    in_global_search = True  # registers such as the audit log are searched in their own list
    form_fields = None  # editable fields; None means every editable field
    detail_fields = None  # fields shown on the detail page; None means form_fields
    bulk_edit_fields = ()  # fields that can be set on many objects at once
    import_fields = None  # columns of the import file; None means form_fields
    import_key = None  # field that identifies an existing row to update on import
    # Fields whose value also names a record of this type in another type's import file when
    # no unique key does (a TGC rate's code, unique only per period of validity).
    import_lookup_fields = ()
    # Header synonyms of the import file, beside each field's own name and verbose names:
    # {"inventory_number": ("N° inventaire", "Numéro inventaire")}. Headers are compared
    # folded (no accents, case, spaces or punctuation). "<amount field>:ht" names the
    # excluding-tax column of an amount declared in `import_excl_tax`.
    import_synonyms = {}
    # How a cell of another type's import names a record of this type besides its key: each
    # entry a field path, or a tuple of paths written one after the other in the cell (a room
    # as « bâtiment + nom du local »: ("floor__building__name", "name")).
    import_name_lookups = ()
    # Amounts stored including TGC that a file may give excluding tax:
    # {"value": ("TN", "acquisition_date")} = the TGC rate of that code, in force on the
    # row's date field (today when empty), is added to the "value:ht" column.
    import_excl_tax = {}
    related_lists = ()  # (reverse accessor, title) shown as tables on the detail page
    select_related = ()
    prefetch_related = ()
    ordering = None
    allow_add = True
    allow_import = True
    allow_export = True
    allow_bulk_edit = True
    allow_bulk_delete = True
    history = True
    read_only = False  # a register that is only read (audit log…): no add, edit or delete
    m2m_history_fields = ()  # many-to-many fields whose changes the history records
    # Defaults a new installation ships with (a chart of accounts…): their presence does not
    # make a database "used", so the demo still loads beside them.
    reference_data = False
    # {role name: "view add change delete"}: what each role may do with this type.
    permissions = {}
    # Figures of one object read through the API (`dpti.core.api.figures.ApiRoute`), besides
    # those an app adds with `registry.add_api_route`.
    api_routes = ()
    # Selects whose choices depend on another field of the same form: {child field: parent
    # field} offers only the child records pointing to the chosen parent (an amendment's lots
    # are those of its contract). A (parent field, lookup) pair names another lookup on the
    # child's model. The form filters on the posted, initial or stored parent, and the page
    # refreshes the child select when the parent changes.
    dependent_choices = {}
    # Shortcuts of the detail page to create a record attached to this one, its form
    # pre-filled: (child type "app.model", child field receiving this record, button label).
    # The field may be a lookup ("lot__contract"): the add form then offers only the matching
    # choices of its first part (the lots of this contract), chosen when there is one.
    create_children = ()

    table_class = None
    filterset_class = None
    form_class = None
    serializer_class = None

    def __init__(self):
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no model.")
        self.opts = self.model._meta
        if self.read_only:
            self.allow_add = self.allow_import = False
            self.allow_bulk_edit = self.allow_bulk_delete = False

    # Identity -----------------------------------------------------------------------------
    @property
    def label(self):
        """'app_label.model_name', the stable key of the type."""
        return self.opts.label_lower

    @property
    def app_label(self):
        return self.opts.app_label

    @property
    def model_name(self):
        return self.opts.model_name

    @property
    def slug(self):
        return self.url_slug or self.opts.model_name

    @property
    def verbose_name(self):
        return self.opts.verbose_name

    @property
    def verbose_name_plural(self):
        return self.opts.verbose_name_plural

    def url_name(self, action):
        """The namespaced URL name of one of the generic views of the type."""
        return f"{self.app_label}:{self.model_name}_{action}"

    # Data ---------------------------------------------------------------------------------
    def get_queryset(self):
        """The base queryset of lists and details, before permissions and filters."""
        queryset = self.model._default_manager.all()
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        if self.ordering:
            queryset = queryset.order_by(*self.ordering)
        return queryset

    def detail_queryset(self, queryset):
        """The detail page's queryset: the records its fields link to come in the same query.

        Each shown foreign key is joined, with what that record's own name reads (a room names
        its floor and building), so that the page does not fetch them one by one.
        """
        from django.db import models

        joins = []
        for name in self.get_detail_fields():
            try:
                field = self.opts.get_field(name)
            except FieldDoesNotExist:
                continue  # a computed row (`display_<name>` with a label)
            if not isinstance(field, models.ForeignKey | models.OneToOneField):
                continue
            joins.append(name)
            target = field.related_model
            if target in registry:
                joins += [f"{name}__{path}" for path in registry.get(target).select_related]
        return queryset.select_related(*joins) if joins else queryset

    def annotate_list(self, queryset):
        """Add the list page's computed columns (a summed surface…) to its queryset.

        Only the list reads them: PostgreSQL cannot lock an aggregate for an update, so
        `get_queryset`, which edits and deletions also use, stays plain.
        """
        return queryset

    def scope(self, queryset, user):
        """Narrow the queryset for a scoped user (requester, contractor). Default: no change."""
        return queryset

    def detail_actions(self, obj, user):
        """Extra buttons of the detail page: [{"label", "url", "icon"}] the user may use."""
        return []

    def deadlines(self, obj):
        """The dated obligations of an object, as `dpti.core.deadlines.DeadlineSpec` items."""
        return []

    def list_actions(self, request):
        """Extra buttons of the list page, acting on the filtered list: [{"label", "url", "icon"}].

        The URL receives the list's current query string, so an action (print labels…) applies
        to exactly what the user filtered.
        """
        return []

    def detail_panels(self, obj, request):
        """Extra cards of the detail page: [{"title", "template", "context"}]."""
        return []

    def before_save(self, obj, user):
        """Called by every write path (form, API, import) before validation, in the transaction.

        The place for values the system assigns (a generated number…).
        """

    def after_save(self, obj, previous, user):
        """Called by every write path after the save, in the same transaction.

        `previous` is the stored state before this save (None for a creation): the place to
        record what a change means for the business (a move, an assignment…).
        """

    def before_delete(self, obj, user):
        """Called before a deletion, in its transaction: raise ValidationError (in French) to
        refuse one the business forbids (a commitment that follows its order…)."""

    def after_delete(self, obj, user):
        """Called after a deletion through the generic views or the API, in its transaction:
        the place to recompute what depended on the deleted row (a suspension's invoice…)."""

    def choices_queryset(self, queryset=None):
        """Rows offered in a select (form field, list filter), with what their names read."""
        queryset = self.model._default_manager.all() if queryset is None else queryset
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def get_form_fields(self):
        if self.form_fields is not None:
            return list(self.form_fields)
        return [
            f.name
            for f in self.opts.get_fields()
            if getattr(f, "editable", False) and not f.auto_created and f.concrete
        ]

    def get_detail_fields(self):
        return (
            list(self.detail_fields) if self.detail_fields is not None else self.get_form_fields()
        )

    def get_import_fields(self):
        return (
            list(self.import_fields) if self.import_fields is not None else self.get_form_fields()
        )

    def get_list_columns(self):
        return list(self.list_columns) or ["__str__"]

    def get_default_columns(self):
        return list(self.default_columns) or self.get_list_columns()

    # Generated classes (built once, on first use) -----------------------------------------
    @cached_property
    def table(self):
        from dpti.core.tables import build_table

        return self.table_class or build_table(self)

    @cached_property
    def filterset(self):
        from dpti.core.filters import build_filterset

        return self.filterset_class or build_filterset(self)

    @cached_property
    def form(self):
        from dpti.core.forms import build_form

        return self.form_class or build_form(self)

    @cached_property
    def serializer(self):
        from dpti.core.api.serializers import build_serializer

        return self.serializer_class or build_serializer(self)


def domain_app_modules(submodule):
    """The `<submodule>` modules of the project's domain apps (core excluded), in app order."""
    modules = []
    for config in apps.get_app_configs():
        is_domain_app = config.name.startswith("dpti.") and config.name != "dpti.core"
        if is_domain_app and module_has_submodule(config.module, submodule):
            modules.append(import_module(f"{config.name}.{submodule}"))
    return modules


class Registry:
    """All object types and navigation domains, filled when apps are ready."""

    def __init__(self):
        self._types = {}
        self._domains = {}
        self._menu_links = []
        self._stores = []
        self._contributed_actions = {}
        self._contributed_panels = {}
        self._api_routes = {}
        self._api_reports = []
        self._tax_rate_provider = None
        self._discovered = False

    def register(self, object_type_class):
        """Class decorator: register an ObjectType subclass."""
        instance = object_type_class()
        if instance.label in self._types:
            raise ImproperlyConfigured(f"{instance.label} is registered twice.")
        self._types[instance.label] = instance
        if instance.history:
            from auditlog.registry import auditlog

            if not auditlog.contains(instance.model):
                # Bookkeeping fields change on every save: they are not history.
                ignored = {
                    "id",
                    "created_at",
                    "updated_at",
                    "created_by",
                    "updated_by",
                    "version",
                    "last_login",
                    "password",
                }
                auditlog.register(
                    instance.model,
                    include_fields=[
                        f.name for f in instance.opts.concrete_fields if f.name not in ignored
                    ],
                    m2m_fields=set(instance.m2m_history_fields),
                )
        return object_type_class

    def add_domain(self, slug, label, icon, order=100):
        """Declare a navigation domain (idempotent)."""
        self._domains.setdefault(slug, Domain(slug, label, icon, order))

    def add_menu_link(
        self, domain, label, url_name, permission=None, order=100, icon="", internal_only=False
    ):
        """Add a menu entry that is not an object list (a dashboard, a register…).

        `internal_only` hides it from scoped users (requesters, contractors), whose permission
        on the model covers only their own records, not a page about all of them.
        """
        self._menu_links.append(
            {
                "domain": domain,
                "label": label,
                "url_name": url_name,
                "permission": permission,
                "order": order,
                "icon": icon,
                "internal_only": internal_only,
            }
        )

    def keep_store(self, store, model, *, before, after, loaded=None, fields=None):
        """Declare a store kept exact by every save and deletion of `model`'s records.

        See `dpti.core.subscriptions.StoreSubscription` for the arguments; the register of
        fixed assets follows its assets, disposals, categories and policies this way.
        """
        from dpti.core.subscriptions import StoreSubscription

        subscription = StoreSubscription(store, model, before, after, loaded, fields)
        subscription.connect()
        self._stores.append(subscription)
        return subscription

    def stores(self, model=None):
        """The store subscriptions declared (those watching `model`, if given)."""
        return [s for s in self._stores if model is None or s.model is model]

    def contribute_detail_actions(self, label, function):
        """Let an app add buttons to another app's detail page: function(obj, user) → actions.

        The IT park offers « IT details » on an asset's page without the assets app knowing
        the IT park (apps depend downwards only).
        """
        self._contributed_actions.setdefault(label, []).append(function)

    def detail_actions(self, object_type, obj, user):
        """The type's own detail buttons, the shortcuts to create its children, then those
        other apps contribute."""
        actions = list(object_type.detail_actions(obj, user))
        actions.extend(self.create_child_actions(object_type, obj, user))
        for function in self._contributed_actions.get(object_type.label, []):
            actions.extend(function(obj, user))
        return actions

    def create_child_actions(self, object_type, obj, user):
        """« Add a … » buttons of `create_children` the user may use: the child's add form with
        this record filled in, coming back to this page once saved."""
        from django.urls import reverse
        from django.utils.http import urlencode

        from dpti.core.permissions import has_model_permission

        actions = []
        for label, field, text in object_type.create_children:
            child = self.get(label)
            if child.read_only or not child.allow_add:
                continue
            if not has_model_permission(user, child.model, "add"):
                continue
            query = urlencode({field: obj.pk, "next": self.url_of(obj)})
            actions.append(
                {
                    "label": text,
                    "url": f"{reverse(child.url_name('add'))}?{query}",
                    "icon": "ti ti-plus",
                }
            )
        return actions

    def parent_lookups(self, object_type):
        """The `create_children` lookups ("lot__contract") that may narrow the type's add form:
        only declared ones, so a query string cannot probe other relations."""
        return {
            field
            for parent in self
            for label, field, _text in parent.create_children
            if label == object_type.label and "__" in field
        }

    def contribute_detail_panels(self, label, function):
        """Let an app add cards to another app's detail page: function(obj, request) → panels.

        Procurement shows the contracts covering an asset, a building or an application on
        their pages without those apps knowing procurement (apps depend downwards only).
        """
        self._contributed_panels.setdefault(label, []).append(function)

    def detail_panels(self, object_type, obj, request):
        """The type's own detail cards, then those other apps contribute."""
        panels = list(object_type.detail_panels(obj, request))
        for function in self._contributed_panels.get(object_type.label, []):
            panels.extend(function(obj, request))
        return panels

    def add_api_route(self, label, route):
        """Read a computed figure of each object of the type `label` through the API
        (`dpti.core.api.figures.ApiRoute`: /api/<app>/<type>/<pk>/<route name>/)."""
        self._api_routes.setdefault(label, []).append(route)

    def api_routes(self, object_type):
        """The type's own API routes, then those its app's `api` module added."""
        return [*object_type.api_routes, *self._api_routes.get(object_type.label, [])]

    def add_api_report(self, report):
        """Publish a report through the API (`dpti.core.api.figures.ApiReport`:
        /api/reports/<app>/<name>/)."""
        if any(r.path == report.path for r in self._api_reports):
            raise ImproperlyConfigured(f"The API report {report.path} is declared twice.")
        self._api_reports.append(report)

    def api_reports(self):
        return sorted(self._api_reports, key=lambda report: report.path)

    def provide_tax_rates(self, function):
        """Let an app say what a TGC rate code is worth: `function(code)` returns the list of
        its periods as (valid_from, valid_to or None, rate in percent). Core knows no TGC
        model; procurement, which keeps the rates as reference data, provides them."""
        self._tax_rate_provider = function

    @property
    def provides_tax_rates(self):
        """True when an app provides the TGC rates (`provide_tax_rates`)."""
        return self._tax_rate_provider is not None

    def tax_rate_periods(self, code):
        """The periods of a TGC rate code, or None when no app provides the rates."""
        if self._tax_rate_provider is None:
            return None
        return list(self._tax_rate_provider(code))

    def autodiscover(self):
        """Import `object_types`, then `api` (computed figures), from every app of the project."""
        if self._discovered:
            return
        self._discovered = True
        for submodule in ("object_types", "api"):
            for config in apps.get_app_configs():
                if config.name.startswith("dpti.") and module_has_submodule(
                    config.module, submodule
                ):
                    import_module(f"{config.name}.{submodule}")

    def __iter__(self):
        return iter(self._types.values())

    def __contains__(self, model):
        return model._meta.label_lower in self._types

    def get(self, model_or_label):
        """The ObjectType of a model class, instance or 'app.model' label."""
        label = (
            model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
        )
        try:
            return self._types[label]
        except KeyError as exc:
            raise LookupError(f"{label} is not a registered object type.") from exc

    def url_of(self, obj):
        """The detail page of any object: the registry's view, else its own get_absolute_url."""
        from django.urls import reverse

        if type(obj) in self:
            return reverse(self.get(obj).url_name("detail"), args=[obj.pk])
        return getattr(obj, "get_absolute_url", lambda: "")()

    def app_labels(self):
        return sorted({ot.app_label for ot in self})

    def for_app(self, app_label):
        return [ot for ot in self if ot.app_label == app_label]

    def domains(self):
        return sorted(self._domains.values(), key=lambda d: (d.order, d.slug))

    def menu_links(self):
        return sorted(self._menu_links, key=lambda link: link["order"])


registry = Registry()
register = registry.register
