"""orgsim: simulate a customer base under customer-success org designs and compare them."""

__version__ = "0.1.0"
