"""`--dist loadgroup` on pytest 9.2: keep the tests of one `xdist_group` on one worker.

pytest-xdist 3.8 tells its scheduler the group of a test by appending "@<group>" to the test's
node id through the legacy `_nodeid` attribute; pytest 9.2 reads node ids from the structured
`_id`, so the suffix is lost and the groups are silently ignored (pytest-xdist issue 1386):
both workers would load the demo, and the rows of a matrix type would be made again whenever
its tests went to the other worker. This plugin (registered by tests/conftest.py) writes the
suffix where pytest reads it, after xdist's own attempt, and does nothing where that took.
"""

import pytest


def group_names(item):
    """The `xdist_group` names of a test, as pytest-xdist joins them."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "_".join(sorted(names))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """On an xdist worker under `--dist loadgroup`, give each grouped test its "@<group>" id."""
    if not getattr(config.option, "loadgroup", False):
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # pytest before 9.2: xdist's own suffix works
        return
    for item in items:
        nodeid = item.nodeid
        if nodeid.rfind("@") > nodeid.rfind("]"):
            continue  # xdist's suffix took
        group = group_names(item)
        if group:
            item._id = NodeId.parse(f"{nodeid}@{group}")
