// SPDX-License-Identifier: Apache-2.0
package io.pollwire.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A blocking loopback client for tests: every read has a timeout, close() is idempotent. */
public final class LineClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public LineClient(InetSocketAddress server) throws IOException {
        this(server, 10_000);
    }

    public LineClient(InetSocketAddress server, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(loopback(server), 5_000);
        socket.setSoTimeout(readTimeoutMillis);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Servers bound to 0.0.0.0 or :: are reached on the loopback address of the same family. */
    public static InetSocketAddress loopback(InetSocketAddress server) {
        if (server.getAddress().isAnyLocalAddress()) {
            return new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), server.getPort());
        }
        return server;
    }

    public Socket socket() {
        return socket;
    }

    public LineClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public LineClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads exactly {@code n} bytes (or fails on timeout / early end of stream). */
    public byte[] readExactly(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(b, got, n - got);
            if (r < 0) {
                throw new IOException("end of stream after " + got + " of " + n + " bytes: "
                        + new String(b, 0, got, StandardCharsets.ISO_8859_1));
            }
            got += r;
        }
        return b;
    }

    public String readString(int n) throws IOException {
        return new String(readExactly(n), StandardCharsets.ISO_8859_1);
    }

    /** Reads one line, '\n' included. */
    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads until end of stream and returns everything read. */
    public byte[] readToEnd() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int r;
        while ((r = in.read(buf)) >= 0) {
            b.write(buf, 0, r);
        }
        return b.toByteArray();
    }

    /** @return true if the server closed the connection (end of stream or reset) within the timeout */
    public boolean awaitClosed() throws IOException {
        try {
            byte[] buf = new byte[4096];
            while (true) {
                int r = in.read(buf);
                if (r < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Closes with RST instead of FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing to do about a failure
        }
    }
}
