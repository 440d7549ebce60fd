"""PDF and data exports. QtGui paint devices only, never widgets."""
