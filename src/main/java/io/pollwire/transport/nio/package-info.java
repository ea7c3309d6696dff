// SPDX-License-Identifier: Apache-2.0
/**
 * The portable transport over the JDK's {@link java.nio.channels.Selector}: {@link
 * io.pollwire.transport.nio.NioPoller}, {@link io.pollwire.transport.nio.NioSocket} and {@link
 * io.pollwire.transport.nio.NioListener}. Always available; {@code Transport.AUTO} falls back
 * to it. Internal, not exported.
 *
 * <p>May depend on: the transport contract only. Never on native code ({@code unix}, the
 * loader), another poller, or anything above the transports. Checked by
 * {@code PackageLayersTest}.
 */
package io.pollwire.transport.nio;
