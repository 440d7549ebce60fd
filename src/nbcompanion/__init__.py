"""Neuroblastoma Caregiver Companion: the PDQ reference summary and a private care record."""

__version__ = "0.1.0"
APP_NAME = "Neuroblastoma Companion"
ORG_NAME = "nbcompanion"
