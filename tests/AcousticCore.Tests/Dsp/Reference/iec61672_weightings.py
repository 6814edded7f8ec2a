#!/usr/bin/env python3
"""Regenerates iec61672_table3.csv: IEC 61672-1:2013 Table 3 frequency weightings and class-1 limits.

The A and C columns are the standard's design goals, computed here from its Annex E closed-form
equations (E.1)-(E.6) at the exact base-10 frequencies f = 1000 * 10^(n/10) Hz and rounded to
0.1 dB, exactly as Table 3 prints them; the script asserts the result equals the values printed in
Table 3 (transcribed below), so a typo in either would stop it. The class-1 acceptance limits are
transcribed from Table 3 (they cannot be computed). Run: python3 iec61672_weightings.py > iec61672_table3.csv
"""
import math

# Annex E: pole frequencies from fr = 1 kHz, fL = 10^1.5 Hz, fH = 10^3.9 Hz, D^2 = 1/2, fA = 10^2.45 Hz.
fr, fL, fH, fA = 1000.0, 10 ** 1.5, 10 ** 3.9, 10 ** 2.45
D = math.sqrt(0.5)
b = (1 / (1 - D)) * (fr ** 2 + fL ** 2 * fH ** 2 / fr ** 2 - D * (fL ** 2 + fH ** 2))
c = fL ** 2 * fH ** 2
f1 = math.sqrt((-b - math.sqrt(b * b - 4 * c)) / 2)
f4 = math.sqrt((-b + math.sqrt(b * b - 4 * c)) / 2)
f2 = (3 - math.sqrt(5)) / 2 * fA
f3 = (3 + math.sqrt(5)) / 2 * fA


def c_raw(f):
    return 20 * math.log10(f4 ** 2 * f ** 2 / ((f ** 2 + f1 ** 2) * (f ** 2 + f4 ** 2)))


def a_raw(f):
    return 20 * math.log10(f4 ** 2 * f ** 4 / ((f ** 2 + f1 ** 2) * math.sqrt(f ** 2 + f2 ** 2)
                                              * math.sqrt(f ** 2 + f3 ** 2) * (f ** 2 + f4 ** 2)))


# Table 3 as printed: nominal Hz, A dB, C dB, class-1 upper limit dB, class-1 lower limit dB (None = -infinity).
TABLE3 = [
    (10, -70.4, -14.3, 3.5, None), (12.5, -63.4, -11.2, 3.0, None), (16, -56.7, -8.5, 2.5, -4.5),
    (20, -50.5, -6.2, 2.5, -2.5), (25, -44.7, -4.4, 2.5, -2.0), (31.5, -39.4, -3.0, 2.0, -2.0),
    (40, -34.6, -2.0, 1.5, -1.5), (50, -30.2, -1.3, 1.5, -1.5), (63, -26.2, -0.8, 1.5, -1.5),
    (80, -22.5, -0.5, 1.5, -1.5), (100, -19.1, -0.3, 1.5, -1.5), (125, -16.1, -0.2, 1.5, -1.5),
    (160, -13.4, -0.1, 1.5, -1.5), (200, -10.9, 0.0, 1.5, -1.5), (250, -8.6, 0.0, 1.4, -1.4),
    (315, -6.6, 0.0, 1.4, -1.4), (400, -4.8, 0.0, 1.4, -1.4), (500, -3.2, 0.0, 1.4, -1.4),
    (630, -1.9, 0.0, 1.4, -1.4), (800, -0.8, 0.0, 1.4, -1.4), (1000, 0.0, 0.0, 1.1, -1.1),
    (1250, 0.6, 0.0, 1.4, -1.4), (1600, 1.0, -0.1, 1.6, -1.6), (2000, 1.2, -0.2, 1.6, -1.6),
    (2500, 1.3, -0.3, 1.6, -1.6), (3150, 1.2, -0.5, 1.6, -1.6), (4000, 1.0, -0.8, 1.6, -1.6),
    (5000, 0.5, -1.3, 2.1, -2.1), (6300, -0.1, -2.0, 2.1, -2.6), (8000, -1.1, -3.0, 2.1, -3.1),
    (10000, -2.5, -4.4, 2.6, -3.6), (12500, -4.3, -6.2, 3.0, -6.0), (16000, -6.6, -8.5, 3.5, -17.0),
    (20000, -9.3, -11.2, 4.0, None),
]

a1000, c1000 = a_raw(1000.0), c_raw(1000.0)
print("# IEC 61672-1:2013 Table 3: frequency weightings (design goals) and class-1 acceptance limits.")
print("# exact_hz = 1000*10^(n/10); a_db/c_db from Annex E (E.1-E.6), rounded as in Table 3; limits transcribed.")
print("# Regenerate: python3 iec61672_weightings.py > iec61672_table3.csv")
print("nominal_hz,exact_hz,a_db,c_db,z_db,class1_upper_db,class1_lower_db")
for n, (nominal, a_tab, c_tab, up, lo) in zip(range(-20, 14), TABLE3):
    f = 1000 * 10 ** (n / 10)
    a = round(a_raw(f) - a1000, 1) + 0.0
    cc = round(c_raw(f) - c1000, 1) + 0.0
    assert abs(a - a_tab) < 1e-9 and abs(cc - c_tab) < 1e-9, (nominal, a, a_tab, cc, c_tab)
    print(f"{nominal:g},{f:.4f},{a:.1f},{cc:.1f},0.0,{up:.1f},{'-inf' if lo is None else f'{lo:.1f}'}")
