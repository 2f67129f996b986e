"""The web layer: blueprints for pages and the JSON API. Views stay thin: they parse the
request, call :mod:`assess.records.store` and the pure core, and render."""
