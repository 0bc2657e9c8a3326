"""Everything Qt: the window, its controller thread and widgets."""
