// SPDX-License-Identifier: Apache-2.0
package pollwire.consumer;

import io.pollwire.Server;
import io.pollwire.ShutdownReport;
import io.pollwire.codec.Framing;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What a first user writes: a line server on loopback, one client, a graceful shutdown. Uses
 * only the packages pollwire exports. Prints {@code key=value} lines for .ci/consumer-check.sh
 * and exits 1 on any failure, with the reason on stderr.
 */
public final class ConsumerMain {
    /** The packages a consumer may see; every other pollwire package is internal. */
    static final Set<String> API = Set.of("io.pollwire", "io.pollwire.codec");

    private ConsumerMain() {}

    public static void main(String[] args) throws Exception {
        boolean ok = run();
        System.out.println(ok ? "consumer=ok" : "consumer=FAILED");
        System.exit(ok ? 0 : 1);
    }

    /**
     * Serves one client, then checks what this code can see of pollwire's module.
     *
     * @return true when both went as a user expects
     * @throws Exception when the server cannot start or the client cannot talk to it
     */
    public static boolean run() throws Exception {
        boolean ok = serveOneClient();
        return checkModule() && ok;
    }

    private static boolean serveOneClient() throws Exception {
        Server server = Server.builder()
                .bind("127.0.0.1", 0)
                .loops(1)
                .framing(Framing.lines(1024))
                .handler((conn, line) -> {
                    byte[] reply = ("got " + StandardCharsets.UTF_8.decode(line) + "\n")
                            .getBytes(StandardCharsets.UTF_8);
                    conn.write(ByteBuffer.wrap(reply));
                })
                .start();
        String first;
        String second;
        try (Socket socket = new Socket()) {
            socket.connect(server.localAddress(), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("hello\r\nwörld\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            first = in.readLine();
            second = in.readLine();
        }
        ShutdownReport report = server.shutdown(Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS);
        System.out.println("transport=" + String.valueOf((Object) server.transport()));
        System.out.println("replies=" + first + "|" + second);
        System.out.println("forced=" + report.forced());
        if (!"got hello".equals(first) || !"got wörld".equals(second)) {
            System.err.println("consumer: wrong replies: " + first + " / " + second);
            return false;
        }
        if (report.forced() != 0) {
            System.err.println("consumer: shutdown forced connections: " + report);
            return false;
        }
        return true;
    }

    /** On the module path: pollwire is module io.pollwire and exports the API only. */
    private static boolean checkModule() {
        Module pollwire = Server.class.getModule();
        Module self = ConsumerMain.class.getModule();
        if (!self.isNamed()) {
            System.out.println("module=unnamed (class path)");
            return true;
        }
        System.out.println("module=" + pollwire.getName() + (pollwire.getDescriptor().isAutomatic()
                ? " (automatic)" : ""));
        Set<String> visible = new TreeSet<>();
        for (String pkg : pollwire.getPackages()) {
            if (pollwire.isExported(pkg, self)) {
                visible.add(pkg);
            }
        }
        System.out.println("exported=" + String.join(",", visible));
        boolean ok = "io.pollwire".equals(pollwire.getName()) && visible.equals(new TreeSet<>(API));
        if (!ok) {
            System.err.println("consumer: module io.pollwire must export exactly " + new TreeSet<>(API)
                    + " to its consumers; it exports " + visible);
        }
        return ok;
    }
}
