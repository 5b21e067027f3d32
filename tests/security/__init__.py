"""Attack corpus: hostile formulas and YAML must be refused quickly with located errors, never obeyed."""
