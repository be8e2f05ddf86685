"""What accountability announces to the stages after it (scoring), so that it never imports them.

``decisions_changed`` is sent inside the transaction of every decision write, with the jurisdiction
and the actor; a receiver that fails rolls the write back with it (scoring.apps connects the score
ledger's sync here).
"""

from django.dispatch import Signal

decisions_changed = Signal()  # sender=Decision; jurisdiction=, actor=
