"""The ``cunzhang`` command line and the disclosure publisher."""
