"""Rule families of the inspection plan, one module each (filled in by the model issue)."""
