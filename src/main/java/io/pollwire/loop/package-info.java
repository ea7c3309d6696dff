// SPDX-License-Identifier: Apache-2.0
/**
 * The event loops: the poller thread, accepting, per-connection input (framing, partial
 * frames) and output (queue, watermarks, poller interest), timers and the idle sweep, and the
 * assembly of loops and listeners for a server. Internal, not exported.
 *
 * <p>May depend on: the API it implements ({@code io.pollwire}: Connection, handlers),
 * {@code codec}, {@code shutdown}, {@code observe} (logger names, JFR events), and the
 * transport contract ({@code transport}: Poller, NetSocket, NetListener, IoBuffer, Backend) —
 * never on one transport's own classes (epoll, kqueue, nio, unix, loader), so every transport
 * runs the same loop. Never on {@code cli} or {@code example}. Checked by
 * {@code PackageLayersTest}.
 */
package io.pollwire.loop;
