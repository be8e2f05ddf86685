"""驻政〔2020〕24号 as code: rulebook loading and validation, the consequence engine, its trail.

Pure Python: nothing here imports Django, so the CLI and the benchmarks run it directly.
"""
