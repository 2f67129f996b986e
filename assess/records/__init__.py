"""The database layer: models and the use cases that read and write them, a module per job
(accounts, organizations, membership, assessments, answers, reviews, history, export rows,
report data). Use cases flush and never commit; the views and CLI commands that call them
commit. Problems the user can fix raise :mod:`assess.records.errors`."""
