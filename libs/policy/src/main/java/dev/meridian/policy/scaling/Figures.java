package dev.meridian.policy.scaling;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Numbers as command reasons print them, so a reason reads the same on every replica and in every locale. */
final class Figures {

    private Figures() {
    }

    /** At most two decimals, no trailing zeros: 87.5, 80, 33.33. */
    static String num(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
