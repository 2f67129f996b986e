"""The pure core: questionnaires, scoring, the results contract, the recommendation, charts and
history. Nothing here imports Flask, SQLAlchemy or the records layer; it takes plain data and
returns plain data."""
