"""Plot functions: a tidy frame in, a labelled matplotlib Axes out."""
