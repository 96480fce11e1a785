#!/usr/bin/env python
"""Django's command-line utility for DPTI."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dpti.settings")
    # A developer's bare `manage.py makemigrations` works in local mode. Production always
    # sets DJANGO_SECRET_KEY (the web server, through wsgi.py, keeps production as default).
    if "DPTI_ENV" not in os.environ and "DJANGO_SECRET_KEY" not in os.environ:
        os.environ["DPTI_ENV"] = "local"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
