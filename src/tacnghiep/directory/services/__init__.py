"""Every change to directory data. Each function owns its transaction and writes one audit record."""
