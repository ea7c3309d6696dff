// SPDX-License-Identifier: Apache-2.0
package io.pollwire.codec;

import java.util.stream.LongStream;

/**
 * Seeds of the randomized framer tests: 1..N by default ({@code -Dpollwire.test.seeds=N}, 100
 * unless set), or just the one given with {@code -Dpollwire.test.seed=S} to rerun a failure.
 */
public final class Seeds {
    static final String SEED_PROPERTY = "pollwire.test.seed";
    static final String COUNT_PROPERTY = "pollwire.test.seeds";

    private Seeds() {}

    public static LongStream seeds() {
        String one = System.getProperty(SEED_PROPERTY);
        if (one != null && !one.isBlank()) {
            return LongStream.of(Long.parseLong(one.trim()));
        }
        return LongStream.rangeClosed(1, Integer.getInteger(COUNT_PROPERTY, 100));
    }

    /** @return how to rerun just this seed, for failure messages */
    public static String rerun(Class<?> test, long seed) {
        return "seed " + seed + " (rerun: ./mvnw -B test -Dtest=" + test.getSimpleName() + " -D"
                + SEED_PROPERTY + "=" + seed + ")";
    }
}
