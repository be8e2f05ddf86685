"""What the office hands on: Word documents in the 公文 layout and Excel workbooks, from the ledger
and the score ledger, on the pages they belong to and on the command line (`duban export`)."""
