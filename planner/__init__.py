"""xuncha (巡察): drafts city and county inspection plans with OR-Tools CP-SAT."""

__version__ = "0.1.0"
