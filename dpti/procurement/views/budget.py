"""Budget execution by line, programme authorisations and payment credits."""


def budget_line_list_actions(request):
    """Buttons of the budget lines' list."""
    return []


urlpatterns = []
