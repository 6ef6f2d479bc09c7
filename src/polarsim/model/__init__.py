"""The model: agents, mechanisms, doctrines and the recorder of its tables."""
