"""The copy engine: plain Python, no Qt, safe to import in Pool workers."""
