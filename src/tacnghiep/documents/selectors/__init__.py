"""Every read of registers and documents that depends on who is asking."""
