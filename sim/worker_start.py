"""What the local fork server imports before it forks sweep and comparison workers.

The runs' own modules, and the compiled loops loaded once (``sim.kernels.warm_up``), so
that every worker forked from the server starts without paying for either.
"""

from sim import runner  # noqa: F401  (imported for the workers)
from sim.kernels import warm_up

warm_up()
