// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the request framer and parser: the input is the byte stream a client sends (so the
 * corpus under {@code HttpRequestFuzzTestInputs/requests/} is plain HTTP). Checked: no
 * exception but {@link HttpException} escapes; every split of the stream frames it exactly as
 * one read does; the SPI contract holds on every call; each framed request parses again to
 * exactly its frame (head plus {@code Content-Length} body).
 */
class HttpRequestFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void requests(byte[] stream) {
        HttpRequestFramerTest.checkStream("fuzz input (a finding is saved under src/test/resources/io/pollwire/example/"
                + "http/HttpRequestFuzzTestInputs/requests/ and replays in ./mvnw verify)", Arrays.hashCode(stream), stream);
    }
}
