"""Charts for each audience (vendored ECharts), each with its numbers as a table beside it."""
