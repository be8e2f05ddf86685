"""Intake: read a gazette issue or an official document into documents, tasks, targets and deadlines.

Pure Python (no Django): the pipeline is reading → cleanup → documents → structure →
annotations / targets / deadlines → extract. `extract.extract_file` is the entry point.
"""
