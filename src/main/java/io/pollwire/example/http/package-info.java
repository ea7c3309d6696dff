// SPDX-License-Identifier: Apache-2.0
/**
 * A small HTTP/1.1 server built on pollwire's public framer SPI: an example of writing a
 * framer for a real protocol, and a target for load tests (TechEmpower's plaintext test).
 *
 * <p><b>It is an example, not a full HTTP stack.</b> It frames requests (a head of at most a
 * configured size, then a {@code Content-Length} body), answers {@code GET /plaintext} with
 * {@code Hello, World!} and {@code POST /echo} with the request body, and handles keep-alive,
 * pipelining, {@code Connection: close} and HTTP/1.0. It rejects what it does not implement:
 * chunked request bodies (501), oversized heads (431) and bodies (413), malformed requests
 * (400), other HTTP versions (505). There is no TLS, no HTTP/2, no chunked or streamed
 * responses, no {@code Expect: 100-continue}, no URL decoding, no request timeout beyond the
 * server's idle timeout. See {@code docs/http-example.md}.
 *
 * <ul>
 *   <li>{@link io.pollwire.example.http.HttpRequestFramer}: the framer (the SPI part).
 *   <li>{@link io.pollwire.example.http.HttpRequestParser}: request line and header parsing
 *       into a reusable {@link io.pollwire.example.http.HttpRequestHead}, no allocation.
 *   <li>{@link io.pollwire.example.http.HttpExampleHandler}: routing and responses.
 *   <li>{@link io.pollwire.example.http.HttpExample}: puts them together.
 * </ul>
 *
 * <p>May depend on: the API ({@code io.pollwire}) and {@code codec} only, as any user of the
 * library would; not exported. Checked by {@code PackageLayersTest}.
 */
package io.pollwire.example.http;
