"""The columnar path: an indicator set evaluated over whole columns with numpy, exact to the last digit
(rows too close to a decision boundary are left to the scalar engine); see :mod:`.evaluate`."""
