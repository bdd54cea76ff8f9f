"""Every change to registers and documents. Each function owns its transaction and writes one audit record."""
