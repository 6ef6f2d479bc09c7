"""One module per mechanism; each a set of free functions on arrays, called by the
model in the documented order (docs/model.md). A function takes its mechanism's
parameter group of the schema (`scenario/parameters.py`: TradeParams, ContestParams,
...) rather than loose floats, so two parameters cannot be swapped unnoticed; the model
passes the groups of its scenario, built once per run."""
