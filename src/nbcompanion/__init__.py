"""Neuroblastoma Caregiver Companion: the PDQ reference summary and a private care record."""

__version__ = "0.1.0"
APP_NAME = "Neuroblastoma Caregiver Companion"
#: The name settings are filed under; unchanged since the first release so that window
#: sizes and the last section read are kept.
SETTINGS_NAME = "Neuroblastoma Companion"
ORG_NAME = "nbcompanion"
