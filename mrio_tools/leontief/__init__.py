"""The Leontief solve: factorise (I - A) once and hold the solved year that every account reads."""
