"""Sample plugins, published by entry points from this folder's dist-info, for the tests."""
