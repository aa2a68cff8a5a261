"""The bundled plugins, each published under the ``cortege.plugins`` entry point."""
