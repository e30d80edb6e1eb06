"""The Qt-free core of esg-author: model, storage, rendering and checks.

Nothing under this package may import PySide6 or esg_author.gui (a test enforces it).
"""
