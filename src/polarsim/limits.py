"""Bounds shared by several layers, in a module that imports nothing (a study file's
schema reads them without loading the model)."""

#: Most replicates one `run` (also `compare` per scenario and `hindcast`) takes. Every
#: replicate's tables are kept in memory and joined at the end: about 0.15 MB and 0.1 s
#: per replicate of a 40-year scenario on one core, so 1000 replicates take about two
#: minutes and a few hundred MB. A larger ensemble belongs in a sweep (`replicates:` in
#: an experiment file), which writes its results in shards as it goes, runs them in
#: parallel and can be resumed. Documented in docs/reliability.md.
MAX_REPLICATES = 1000
