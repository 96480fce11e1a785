"""Application pages that are not about one object type."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from dpti.core.deadline_register import decorate, visible_deadlines
from dpti.core.models import Deadline


class HomeView(LoginRequiredMixin, TemplateView):
    """The signed-in user's own items: deadlines now, requests and tasks as modules arrive."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        mine = visible_deadlines(
            self.request.user, Deadline.objects.filter(owner=self.request.user, done=False)
        )
        context["my_deadlines"] = decorate(list(mine.order_by("due_date")[:10]), today)
        context["overdue_count"] = mine.filter(due_date__lt=today).count()
        context["today"] = today
        return context


class SearchView(LoginRequiredMixin, TemplateView):
    """Search every object type at once; each group links to its full filtered list."""

    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        from dpti.core.search import MIN_QUERY_LENGTH, global_search

        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()
        context.update(
            {
                "search_query": query,
                "groups": global_search(query, self.request.user),
                "too_short": 0 < len(query) < MIN_QUERY_LENGTH,
            }
        )
        return context


class RolesView(LoginRequiredMixin, TemplateView):
    """The roles and what each may do on every object type, read from the registry."""

    template_name = "core/roles.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("core.view_user"):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from django.contrib.auth.models import Group
        from django.db.models import Count

        from dpti.core.registry import registry
        from dpti.core.roles import ROLES, permissions_by_role

        context = super().get_context_data(**kwargs)
        granted = permissions_by_role()
        counts = dict(Group.objects.annotate(n=Count("user")).values_list("name", "n"))
        context["roles"] = [
            {"role": role, "accounts": counts.get(code, 0)} for code, role in ROLES.items()
        ]
        rows = []
        for object_type in registry:
            cells = []
            for code in ROLES:
                actions = [
                    action
                    for action in ("view", "add", "change", "delete")
                    if (object_type.app_label, f"{action}_{object_type.model_name}")
                    in granted[code]
                ]
                cells.append(actions)
            rows.append({"object_type": object_type, "cells": cells})
        context["rows"] = rows
        return context
