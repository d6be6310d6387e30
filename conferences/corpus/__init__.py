"""Archives that are not real: the synthetic generator (synthetic.py, its vocabulary in words.py)
for benchmarks, and the demo (demo/: the seed article and its metadata)."""
