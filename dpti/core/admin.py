"""Django admin (technical administration): accounts, for setting passwords."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from dpti.core.models import User

admin.site.site_header = "DPTI — administration technique"
admin.site.register(User, UserAdmin)
