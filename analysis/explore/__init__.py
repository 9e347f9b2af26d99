"""``commsim explore``: the model in a browser page, for what-if questions (the [explore] extra).

``session`` holds what the page shows as plain Python over the CLI's model; ``page`` draws
it with Solara; ``server`` starts Solara on a loopback port. Nothing in ``sim`` imports
this package, and the CLI imports it only inside the ``explore`` command.
"""
