"""Pages of the assets module: campaigns (being built)."""

urlpatterns = []
