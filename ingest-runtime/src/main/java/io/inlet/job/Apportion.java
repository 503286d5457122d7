package io.inlet.job;

/** Splits a count in proportion to weights, in whole units that add up exactly. */
final class Apportion {

    private Apportion() {}

    static long[] split(long amount, long[] weights) {
        long[] out = new long[weights.length];
        long sum = 0;
        int largest = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            if (weights[i] > weights[largest]) {
                largest = i;
            }
        }
        if (weights.length == 0) {
            return out;
        }
        if (sum == 0) {
            out[largest] = amount;
            return out;
        }
        long given = 0;
        for (int i = 0; i < weights.length; i++) {
            out[i] = (long) ((double) amount * weights[i] / sum);
            given += out[i];
        }
        out[largest] += amount - given;
        return out;
    }
}
