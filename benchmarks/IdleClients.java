// SPDX-License-Identifier: Apache-2.0
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds N idle connections to a line echo server for benchmarks/memory.sh: each sends "hi\n"
 * and reads the echo once (so the server has been through a read and a write on it), then the
 * program prints "ready" and keeps them open until its stdin closes.
 *
 *   java benchmarks/IdleClients.java PORT N [PARTIAL_BYTES]
 *
 * With PARTIAL_BYTES > 0 every connection then also sends that many bytes without a newline:
 * a kept partial line, to measure what one costs.
 */
public class IdleClients {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int partial = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        byte[] tail = new byte[partial];
        java.util.Arrays.fill(tail, (byte) 'x');
        List<Socket> sockets = new ArrayList<>(n);
        byte[] hi = "hi\n".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(hi);
            InputStream in = s.getInputStream();
            for (int k = 0; k < hi.length; k++) {
                if (in.read() < 0) {
                    throw new IllegalStateException("connection " + i + " closed by the server");
                }
            }
            if (partial > 0) {
                s.getOutputStream().write(tail);
            }
            sockets.add(s);
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold the connections until stdin closes
        }
        for (Socket s : sockets) {
            s.close();
        }
    }
}
