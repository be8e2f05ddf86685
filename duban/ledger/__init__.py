"""The task ledger (督查台账)."""
