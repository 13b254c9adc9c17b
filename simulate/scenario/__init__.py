"""The scenario file format: schema, quantities and loading."""

from simulate.scenario.load import ScenarioError, load, locate, parse
from simulate.scenario.quantity import Quantity
from simulate.scenario.schema import Scenario

__all__ = ["Quantity", "Scenario", "ScenarioError", "load", "locate", "parse"]
