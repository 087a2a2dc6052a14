"""The Qt desktop application: a thin layer of pages and models over the services."""
