"""Hand-written material of the demo network: plain data, no logic (see ``demo/builders.py``)."""
