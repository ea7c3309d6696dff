// SPDX-License-Identifier: Apache-2.0
/**
 * The command line ({@code java -jar pollwire.jar info|echo|http}): option parsing, signal
 * handling and the commands. Internal, not exported; {@code Main} is the jar's main class.
 *
 * <p>May depend on: the API ({@code io.pollwire}), {@code codec}, the HTTP example it runs and
 * the loader ({@code transport.loader}) for its diagnostics, {@code observe} for the name of
 * the loggers it quietens. Never on {@code loop}, {@code shutdown} or the transports' sockets
 * and pollers. Checked by {@code PackageLayersTest}.
 */
package io.pollwire.cli;
