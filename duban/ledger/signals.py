"""What the ledger announces to the stages after it (reports), so that it never imports them.

``progress_reports_written`` is sent inside the transaction of an update or a bulk create of progress reports
(models.ProgressReportQuerySet: the doors that send no save or delete signal), with ``task_ids`` (the tasks of
the rows written, before and after) and ``days`` (their 报送日期, before and after), and for a bulk create ``created`` (each new row's
task and day; None for an update): the 督查通报's counts of reports by period (reports.tallies) follow them.
"""

from django.dispatch import Signal

progress_reports_written = Signal()  # sender=ProgressReport; task_ids=, days=, created=
