"""Operations on a whole instance: backup and restore (`duban backup DIR`, `duban restore DIR`).

Outside the pipeline's layers: it reads every app's tables as data, through the database
connection and the app registry, and imports no app.
"""
