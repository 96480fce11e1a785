"""Which procedure a purchase needs: the need's panel and the quick check page."""


def need_panels(need, request):
    """Cards of a purchase need's page."""
    return []


urlpatterns = []
