"""One module per mechanism; each a set of free functions on arrays, called by the
model in the documented order (docs/model.md)."""
