"""Calibrate a scenario from a company's own accounts and tickets exports (issue 14).

exports (read and check the CSVs) → fits per quantity (accounts, tickets, renewal) → a complete
scenario whose comments give each value's source (written) → a fit report, and a back-test of the
fitted scenario against the export's last 12 months (simulate.calibrate.backtest, a higher layer).
"""
