"""Shared pytest setup: the hypothesis profile CI runs with."""
import os

from hypothesis import HealthCheck, settings

# CI: no deadline (a shared 2-core machine has hiccups) and derandomized, so a run is
# repeatable; locally the same profile keeps the suite fast and stable.
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "25")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
