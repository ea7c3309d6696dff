// SPDX-License-Identifier: Apache-2.0
/**
 * A TCP/Unix socket proxy on pollwire's public API: the example that proves the outbound
 * connector. Each accepted client connection opens its backend connection on the same event
 * loop ({@link io.pollwire.Connection#connect}), so bytes move between the two without a
 * thread hop; reads are forwarded as they come ({@link io.pollwire.codec.Framing#raw()}).
 * Backpressure both ways: a side whose output passes the high watermark pauses reading of the
 * other side until it drains ({@code onWritabilityChanged}, {@code pauseReading}), so memory per
 * pair stays bounded by the watermarks whatever the peers do. A half-close is passed on with
 * {@code shutdownOutput()}, a reset or error by aborting the other side, and a graceful drain on
 * shutdown sends both sides what they are owed.
 *
 * <ul>
 *   <li>{@link io.pollwire.example.proxy.ProxyHandler}: the client side; its backend side is
 *       the same few lines mirrored.
 * </ul>
 */
package io.pollwire.example.proxy;
