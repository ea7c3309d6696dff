// SPDX-License-Identifier: Apache-2.0
/**
 * Graceful shutdown: the coordinator that runs the drain phases across loops under one timeout
 * and counts the outcome, and the wait group it waits with. Internal, not exported.
 *
 * <p>May depend on: the API's report types ({@code io.pollwire}), the loops it stops
 * ({@code loop}) and {@code observe} (its logger, JFR events). Never on any transport (epoll,
 * kqueue, NIO channels, native code), on {@code cli} or {@code example}. Checked by
 * {@code PackageLayersTest}.
 */
package io.pollwire.shutdown;
