// SPDX-License-Identifier: Apache-2.0
/**
 * Framing: turning a connection's buffered bytes into frames (lines, fixed-length records,
 * delimited or length-prefixed frames) through the {@link io.pollwire.codec.Framer} SPI and
 * {@link io.pollwire.codec.Framing}. Pure functions over buffers: no I/O, no threads. Exported.
 *
 * <p>May depend on: nothing of pollwire outside this package, and of the JDK on no channel or
 * native class. A framer can be tested, fuzzed and reused without a server. Checked by
 * {@code PackageLayersTest}.
 */
package io.pollwire.codec;
