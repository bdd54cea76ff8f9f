"""Every read of directory data that depends on who is asking."""
