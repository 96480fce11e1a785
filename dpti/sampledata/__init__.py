"""Sample data kept out of the production apps: the demo set, the scale generator, the bench.

Each domain app's part lives in `dpti/sampledata/<app label>/` (`demo.py`, `scale.py`,
`bench.py`) and is found by `discovery.app_modules`, in the order of INSTALLED_APPS, so that a
new app brings its sample data by adding a folder here, and no production package imports it.
"""
