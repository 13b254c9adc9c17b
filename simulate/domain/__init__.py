"""The domain's vocabulary, each word defined once as a table of rows: roles, kinds of work,
health bands, staffing drivers and routes. Everything else (the scenario schema's literals,
designs, the model, KPIs, workload, the optimizer, the report's labels) reads these rows.

This is the lowest layer: it imports nothing else from `simulate`.
"""
