// SPDX-License-Identifier: Apache-2.0
/**
 * What pollwire tells the outside world about itself, besides its API: the names of its
 * loggers (one per component, all under {@code io.pollwire}) and its Java Flight Recorder
 * events (category {@code pollwire}), which work without {@code jdk.jfr} in the runtime too.
 * Internal, not exported.
 *
 * <p>May depend on: nothing else of pollwire (it takes ids, strings and counts), so that every
 * layer may use it. Checked by {@code PackageLayersTest}.
 */
package io.pollwire.observe;
