from tests.readiness.web.conftest import other_shop, setup  # the scanned shop fixtures of the web tests

__all__ = ["other_shop", "setup"]
