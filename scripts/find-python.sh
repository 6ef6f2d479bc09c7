#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or fail with a message.
# Works on an ordinary machine (python3.13 / python3.12 / python3 on PATH) and on one
# where those names are pyenv shims that fail until a version is selected.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for c in "${POLARSIM_PYTHON:-}" python3.12 python3.13 python3 python; do
  [ -n "$c" ] || continue
  if command -v "$c" >/dev/null 2>&1 && ok "$c"; then command -v "$c"; exit 0; fi
done
if command -v pyenv >/dev/null 2>&1; then
  root=$(pyenv root)
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.[0-9]+' | sort -V); do
    p="$root/versions/$v/bin/python"
    if [ -x "$p" ] && ok "$p"; then echo "$p"; exit 0; fi
  done
fi
echo "polarsim needs Python >= 3.12; none found (set POLARSIM_PYTHON=/path/to/python3.12)" >&2
exit 1
