"""Application pages that are not about one object type."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from dpti.core.models import Deadline


class HomeView(LoginRequiredMixin, TemplateView):
    """The signed-in user's own items: deadlines now, requests and tasks as modules arrive."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        mine = Deadline.objects.filter(owner=self.request.user, done=False)
        context["my_deadlines"] = mine.order_by("due_date")[:10]
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
