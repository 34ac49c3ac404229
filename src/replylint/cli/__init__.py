"""The command line: commands, runs over many files, the result cache, baselines and the output formats."""
