"""The model: set-up from a scenario, the Mesa model and its agents, the mechanisms and
the recorder (`model/recorder.py`) that turns a run's arrays into tables.

Kept empty on purpose: `import polarsim.model` must not import Mesa or pandas, so the
CLI's `--version` and `validate` start fast (they never load a model module)."""
