// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the RESP framer and argument reader: the input is the byte stream a client sends (so
 * the corpus under {@code RespFuzzTestInputs/commands/} is plain RESP). Checked: no exception
 * but {@link RespProtocolException} escapes; every split of the stream frames it exactly as one
 * read does; the SPI contract holds on every call; every frame reads back into arguments.
 */
class RespFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void commands(byte[] stream) {
        RespFramerTest.checkStream("fuzz input (a finding is saved under src/test/resources/io/pollwire/example/"
                + "resp/RespFuzzTestInputs/commands/ and replays in ./mvnw verify)", Arrays.hashCode(stream), stream);
    }
}
