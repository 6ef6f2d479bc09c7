from polarsim.cli import run

run()
