// SPDX-License-Identifier: Apache-2.0
/**
 * Finding and loading libpollwire: {@link io.pollwire.transport.loader.NativeLibrary} (explicit
 * path, {@code java.library.path}, then the copy bundled in the jar; the ABI check; the kept
 * failure that makes {@code Transport.AUTO} fall back to NIO), {@link
 * io.pollwire.transport.loader.LibraryPaths} (the checks of {@code pollwire.native.path} and
 * {@code pollwire.native.workdir}) and {@link io.pollwire.transport.loader.Platform} (the
 * {@code os-arch} classifier). Internal, not exported.
 *
 * <p>May depend on: {@code transport.unix} (to ask the loaded library its ABI version and
 * backend) and {@code observe} (its logger's name). Never on a poller nor on anything above the transports. Checked by
 * {@code PackageLayersTest}.
 */
package io.pollwire.transport.loader;
