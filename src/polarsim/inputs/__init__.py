"""Reading input files, below every layer that has one (data, scenario, experiment,
calibration, study).

- `files`: bounded reading (regular files only, size limits, UTF-8).
- `yaml_lines`: strict YAML with the position of every key.
- `strict`: `StrictModel`, the pydantic base of every input file's schema.
- `problems`: `Problem` (file:line:column, field, expected, found, suggestion) and
  `InputProblemsError`, which carries all the problems of a file.
- `reader`: `read_yaml` and `load_model`, the one reader of every YAML input file.

Nothing is imported here, so that reading a CSV table does not load pydantic.
"""
