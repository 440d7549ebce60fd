"""Link schemes of the reading pane, handled inside the app and never by a web browser."""

SECTION_SCHEME = "nbsection"
TERM_SCHEME = "nbterm"
PAGE_SCHEME = "nbpage"
