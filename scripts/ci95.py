"""95 % confidence intervals of means over few seeds, shared by scripts/figures (figures_style.py)
and scripts/validation. Python 3 stdlib only."""

# Student's t quantile 0.975 by degrees of freedom (a standard table), for 95 % confidence
# intervals of means over few seeds; beyond the table, the nearest lower entry (conservative).
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
        11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
        20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
        29: 2.045, 30: 2.042, 40: 2.021, 60: 2.000, 120: 1.980}


def ci95(std, runs):
    """Half-width of the 95 % confidence interval of a mean of `runs` values of sample standard
    deviation `std` (0 for one run: no interval)."""
    if runs < 2:
        return 0.0
    df = runs - 1
    t = T975[max(k for k in T975 if k <= df)]
    return t * std / runs ** 0.5
