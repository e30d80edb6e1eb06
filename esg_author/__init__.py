"""esg-author: write a company's ESG report once, publish it in three languages."""

__version__ = "0.1.0"
