"""The append-only score ledger fed by the rules engine, and the rankings read from it."""
