"""The Qt-free core of esg-author: model, storage, rendering and checks.

Nothing under this package may import Qt or the GUI package (tests/core/test_headless.py).
"""
