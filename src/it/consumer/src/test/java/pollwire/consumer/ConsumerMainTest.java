// SPDX-License-Identifier: Apache-2.0
package pollwire.consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The consumer as a user's own tests would run it, through surefire: on the module path by
 * default (this project has a module-info), on the class path with -DuseModulePath=false.
 * .ci/consumer-check.sh reads this test's output file for JVM warnings.
 */
class ConsumerMainTest {
    @Test
    void servesOneClientAndSeesOnlyTheApi() throws Exception {
        assertTrue(ConsumerMain.run(), "see the consumer's stderr above");
    }
}
