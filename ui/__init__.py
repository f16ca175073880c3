"""Stakeholder Tracker's desktop application (Qt, PySide6).

Everything here talks to data through ``tracker.services``; nothing in ``tracker`` imports this
package.  Start it with ``stakeholder-tracker`` or ``python -m ui``.
"""
