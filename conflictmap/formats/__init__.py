"""Number and date formats that Django's own do not give (settings.FORMAT_MODULE_PATH)."""
