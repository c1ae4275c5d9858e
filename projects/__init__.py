"""The project and fund model of cunzhang: charts, declarations, checks and reports."""
