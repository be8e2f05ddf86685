"""What accountability announces to the stages after it (scoring), so that it never imports them.

``decisions_changed`` is sent inside the transaction of every decision write, with the jurisdiction,
the actor and the primary keys of the units whose decisions changed (the written decision's; a
corrected decision moved to another unit: both) and ``moved_years`` (decision pk → the year a correction
moved it from; the ledger's balances are kept per decision year); a receiver that fails rolls the write back with it
(scoring.apps connects the score ledger's sync of those units here).
"""

from django.dispatch import Signal

decisions_changed = Signal()  # sender=Decision; jurisdiction=, actor=, units= (unit pks), moved_years=
