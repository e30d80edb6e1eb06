"""KPI data helpers: units, value formatting inputs, and (later) import/export."""
