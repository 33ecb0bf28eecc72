"""All I/O of the engine lives here; workflows only decide."""
