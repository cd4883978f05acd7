"""torch's surface: what a call means (argument forms, dim/keepdim, type promotion) and
what torch says when it is wrong (built by minitorch/errors.py), one module per op family.
Each function ends in one op of ops/, where the math is."""
