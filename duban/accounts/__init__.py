"""Jurisdictions, units, people, and the append-only audit log every service writes."""
