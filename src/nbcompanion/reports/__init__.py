"""PDF and data exports. QtGui paint devices only, never widgets."""

from nbcompanion.reports.qtfix import protect_none

# Reports make hundreds of thousands of Qt calls; see qtfix for why None needs protecting.
protect_none()
