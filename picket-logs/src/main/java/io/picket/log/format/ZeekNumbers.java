package io.picket.log.format;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Number rendering exactly as Zeek writes it.
 *
 * <ul>
 *   <li>{@link #appendFixed6}: time and interval in TSV, like C++ {@code std::to_chars(fixed, 6)}:
 *       the exact binary value rounded half-even to 6 decimals, trailing zeros kept.</li>
 *   <li>{@link #appendTsvDouble}: Zeek's {@code ODesc::Add(double, no_exp=true)} for TSV
 *       {@code double}: 6 decimals, trailing zeros and a bare point stripped, then {@code .0}
 *       appended when the value is within 1e-9 of an integer.</li>
 *   <li>{@link #appendJsonDouble}: the JSON writer's numbers (RapidJSON {@code Writer::Double}):
 *       Grisu2 digits, then RapidJSON's layout ({@code 0.0}, {@code 12.0}, {@code 0.000012},
 *       {@code 1e-7}, {@code 1.5e21}); NaN and infinities become {@code null}.</li>
 * </ul>
 *
 * Stateless apart from the per-instance digit scratch; one instance per formatting thread.
 */
final class ZeekNumbers {
    private static final long[] POW10 = new long[20];
    private static final long[] CACHED_F = new long[87];
    private static final int[] CACHED_E = new int[87];
    private static final long HIDDEN_BIT = 1L << 52;
    private static final long SIGNIFICAND_MASK = HIDDEN_BIT - 1;

    static {
        long p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
        // Normalized 64-bit significands (rounded to nearest) of 10^k, k = -348, -340, ..., 340:
        // the cached powers of the Grisu algorithm, computed instead of tabulated.
        BigInteger ten = BigInteger.TEN;
        for (int i = 0; i < CACHED_F.length; i++) {
            int k = -348 + 8 * i;
            BigInteger num = k >= 0 ? ten.pow(k) : BigInteger.ONE;
            BigInteger den = k >= 0 ? BigInteger.ONE : ten.pow(-k);
            int e = num.bitLength() - den.bitLength() - 64;
            BigInteger q;
            BigInteger r;
            while (true) {
                BigInteger n = e >= 0 ? num : num.shiftLeft(-e);
                BigInteger d = e >= 0 ? den.shiftLeft(e) : den;
                BigInteger[] qr = n.divideAndRemainder(d);
                q = qr[0];
                r = qr[1].shiftLeft(1).compareTo(d) >= 0 ? BigInteger.ONE : BigInteger.ZERO;
                if (q.bitLength() > 64) {
                    e++;
                } else if (q.bitLength() < 64) {
                    e--;
                } else {
                    break;
                }
            }
            CACHED_F[i] = q.add(r).longValue();
            CACHED_E[i] = e;
        }
    }

    private final byte[] digits = new byte[32];
    private int digitCount;
    private int decimalExponent;

    // ---------------------------------------------------------------- fixed, 6 decimals

    /** Appends {@code d} with exactly 6 decimals, correctly rounded (half-even on the exact value). */
    static void appendFixed6(LogBuffer out, double d) {
        long bits = Double.doubleToRawLongBits(d);
        if (Double.isNaN(d)) {
            out.appendAscii(bits < 0 ? "-nan" : "nan");
            return;
        }
        if (bits < 0) {
            out.append('-');
        }
        if (Double.isInfinite(d)) {
            out.appendAscii("inf");
            return;
        }
        long micros = scaledMicros(bits & Long.MAX_VALUE);
        if (micros < 0) {
            BigDecimal exact = new BigDecimal(Math.abs(d)).setScale(6, RoundingMode.HALF_EVEN);
            out.appendAscii(exact.toPlainString());
            return;
        }
        out.appendLong(micros / 1_000_000);
        out.append('.');
        int frac = (int) (micros % 1_000_000);
        for (int div = 100_000; div > 0; div /= 10) {
            out.append('0' + frac / div % 10);
        }
    }

    /**
     * The non-negative double with these bits times 10^6, rounded half-even, or -1 when that
     * does not fit in a long (callers fall back to BigDecimal).
     */
    private static long scaledMicros(long bits) {
        int biased = (int) (bits >>> 52);
        long m = bits & SIGNIFICAND_MASK;
        int e;
        if (biased == 0) {
            e = -1074;
        } else {
            m |= HIDDEN_BIT;
            e = biased - 1075;
        }
        if (m == 0) {
            return 0;
        }
        if (e >= 0) {
            if (e > 10) {
                return -1;
            }
            long v = m << e;
            return v <= Long.MAX_VALUE / 1_000_000 ? v * 1_000_000 : -1;
        }
        int k = -e;
        if (k >= 74) {
            return 0; // m * 10^6 < 2^73, so the scaled value is below one half
        }
        long lo = m * 1_000_000L;
        long hi = Math.unsignedMultiplyHigh(m, 1_000_000L);
        long q;
        boolean half;
        boolean below;
        if (k < 64) {
            if ((hi >>> k) != 0) {
                return -1;
            }
            q = (hi << (64 - k)) | (lo >>> k);
            if (q < 0) {
                return -1;
            }
            half = ((lo >>> (k - 1)) & 1) != 0;
            below = k > 1 && (lo & ((1L << (k - 1)) - 1)) != 0;
        } else {
            q = hi >>> (k - 64);
            if (k == 64) {
                half = lo < 0;
                below = (lo & Long.MAX_VALUE) != 0;
            } else {
                half = ((hi >>> (k - 65)) & 1) != 0;
                below = lo != 0 || (k > 65 && (hi & ((1L << (k - 65)) - 1)) != 0);
            }
        }
        if (half && (below || (q & 1) != 0)) {
            q++;
        }
        return q;
    }

    // ---------------------------------------------------------------- TSV double

    /** Zeek TSV {@code double}: up to 6 decimals, trailing zeros stripped, integral as {@code N.0}. */
    static void appendTsvDouble(LogBuffer out, double d) {
        if (Double.isNaN(d)) {
            out.appendAscii("nan");
            return;
        }
        if (d < 0) {
            out.append('-');
        }
        double a = Math.abs(d);
        if (Double.isInfinite(a)) {
            out.appendAscii("inf");
            return;
        }
        int start = out.length();
        appendFixed6(out, a);
        int end = out.length();
        byte[] b = out.array();
        while (end > start && b[end - 1] == '0') {
            end--;
        }
        if (end > start && b[end - 1] == '.') {
            end--;
        }
        out.truncate(end);
        double v = d - Math.rint(d);
        boolean nearInteger = v < 0 ? -v < 1e-9 : v < 1e-9;
        if (nearInteger) {
            out.append('.').append('0');
        }
    }

    // ---------------------------------------------------------------- JSON double

    /** Zeek JSON number for a double (RapidJSON's Grisu2 output); {@code null} for NaN/infinity. */
    void appendJsonDouble(LogBuffer out, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            out.appendAscii("null");
            return;
        }
        long bits = Double.doubleToRawLongBits(d);
        if (bits < 0) {
            out.append('-');
        }
        if ((bits & Long.MAX_VALUE) == 0) {
            out.append('0').append('.').append('0');
            return;
        }
        grisu2(bits & Long.MAX_VALUE);
        prettify(out);
    }

    private void grisu2(long bits) {
        int biased = (int) (bits >>> 52);
        long vf = bits & SIGNIFICAND_MASK;
        int ve;
        if (biased != 0) {
            vf += HIDDEN_BIT;
            ve = biased - 1075;
        } else {
            ve = -1074;
        }
        // upper boundary, normalized
        long plF = (vf << 1) + 1;
        int plE = ve - 1;
        while ((plF & (HIDDEN_BIT << 1)) == 0) {
            plF <<= 1;
            plE--;
        }
        plF <<= 10;
        plE -= 10;
        // lower boundary, same exponent
        long miF;
        int miE;
        if (vf == HIDDEN_BIT) {
            miF = (vf << 2) - 1;
            miE = ve - 2;
        } else {
            miF = (vf << 1) - 1;
            miE = ve - 1;
        }
        miF <<= miE - plE;
        // cached power
        double dk = (-61 - plE) * 0.30102999566398114 + 347;
        int k = (int) dk;
        if (dk - k > 0.0) {
            k++;
        }
        int index = (k >> 3) + 1;
        decimalExponent = -(-348 + (index << 3));
        long cF = CACHED_F[index];
        int cE = CACHED_E[index];
        // normalized value times cached power
        int s = Long.numberOfLeadingZeros(vf);
        long w = multiply(vf << s, cF);
        long wp = multiply(plF, cF) - 1;
        long wm = multiply(miF, cF) + 1;
        int mpE = plE + cE + 64;
        digitGen(w, wp, mpE, wp - wm);
    }

    /** High 64 bits of the 128-bit product, rounded (bit 63 of the low half carries). */
    private static long multiply(long a, long b) {
        long hi = Math.unsignedMultiplyHigh(a, b);
        long lo = a * b;
        return hi + (lo >>> 63);
    }

    private void digitGen(long wF, long mpF, int mpE, long delta) {
        int shift = -mpE;
        long oneF = 1L << shift;
        long wpW = mpF - wF;
        int p1 = (int) (mpF >>> shift);
        long p2 = mpF & (oneF - 1);
        int kappa = countDecimalDigits(p1);
        digitCount = 0;
        while (kappa > 0) {
            int div = (int) POW10[kappa - 1];
            int d = p1 / div;
            p1 %= div;
            if (d != 0 || digitCount != 0) {
                digits[digitCount++] = (byte) ('0' + d);
            }
            kappa--;
            long tmp = ((long) p1 << shift) + p2;
            if (Long.compareUnsigned(tmp, delta) <= 0) {
                decimalExponent += kappa;
                grisuRound(delta, tmp, POW10[kappa] << shift, wpW);
                return;
            }
        }
        while (true) {
            p2 *= 10;
            delta *= 10;
            int d = (int) (p2 >>> shift);
            if (d != 0 || digitCount != 0) {
                digits[digitCount++] = (byte) ('0' + d);
            }
            p2 &= oneF - 1;
            kappa--;
            if (Long.compareUnsigned(p2, delta) < 0) {
                decimalExponent += kappa;
                int idx = -kappa;
                grisuRound(delta, p2, oneF, wpW * (idx < 20 ? POW10[idx] : 0));
                return;
            }
        }
    }

    private void grisuRound(long delta, long rest, long tenKappa, long wpW) {
        while (Long.compareUnsigned(rest, wpW) < 0
                && Long.compareUnsigned(delta - rest, tenKappa) >= 0
                && (Long.compareUnsigned(rest + tenKappa, wpW) < 0
                        || Long.compareUnsigned(wpW - rest, rest + tenKappa - wpW) > 0)) {
            digits[digitCount - 1]--;
            rest += tenKappa;
        }
    }

    private static int countDecimalDigits(int n) {
        if (n < 10) {
            return 1;
        }
        if (n < 100) {
            return 2;
        }
        if (n < 1000) {
            return 3;
        }
        if (n < 10000) {
            return 4;
        }
        if (n < 100000) {
            return 5;
        }
        if (n < 1000000) {
            return 6;
        }
        if (n < 10000000) {
            return 7;
        }
        if (n < 100000000) {
            return 8;
        }
        return 9;
    }

    private void prettify(LogBuffer out) {
        int length = digitCount;
        int k = decimalExponent;
        int kk = length + k; // 10^(kk-1) <= v < 10^kk
        if (k >= 0 && kk <= 21) {
            out.append(digits, 0, length);
            for (int i = length; i < kk; i++) {
                out.append('0');
            }
            out.append('.').append('0');
        } else if (kk > 0 && kk <= 21) {
            out.append(digits, 0, kk).append('.').append(digits, kk, length - kk);
        } else if (kk > -6 && kk <= 0) {
            out.append('0').append('.');
            for (int i = kk; i < 0; i++) {
                out.append('0');
            }
            out.append(digits, 0, length);
        } else if (kk < -324) {
            out.append('0').append('.').append('0');
        } else if (length == 1) {
            out.append(digits[0]).append('e').appendLong(kk - 1);
        } else {
            out.append(digits[0]).append('.').append(digits, 1, length - 1).append('e').appendLong(kk - 1);
        }
    }
}
