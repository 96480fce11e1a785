"""Pages of the assets module: register (being built)."""

urlpatterns = []
