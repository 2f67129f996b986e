"""The web layer: blueprints for pages and the JSON API. Views stay thin: they parse the
request, call the use cases of :mod:`assess.records` and the pure core, commit, and render.
Blueprints do not import each other; what two of them share lives in a module that is not a
blueprint (access, errors, figures, files, forms)."""
