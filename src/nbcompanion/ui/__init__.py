"""The Qt front end: main window, views, dialogs and models."""
