"""The database layer: models and the use cases that read and write them. Use cases flush; the
views and CLI commands that call them commit."""
