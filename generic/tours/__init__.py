"""Tour sections of later capabilities, one module each (imported by :mod:`generic.tour`)."""
