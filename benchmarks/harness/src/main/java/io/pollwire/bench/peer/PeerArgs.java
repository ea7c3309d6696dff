// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.peer;

/** The few flags every JVM peer takes: {@code --host H --port P [--transport T] [--allocator A]}. */
final class PeerArgs {
    String host = "127.0.0.1";
    int port = 7000;
    String transport = "epoll";
    String allocator = "pooled";

    static PeerArgs parse(String[] args) {
        PeerArgs a = new PeerArgs();
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--host":
                    a.host = need(args[i], v);
                    i++;
                    break;
                case "--port":
                    a.port = Integer.parseInt(need(args[i], v));
                    i++;
                    break;
                case "--transport":
                    a.transport = need(args[i], v);
                    i++;
                    break;
                case "--allocator":
                    a.allocator = need(args[i], v);
                    i++;
                    break;
                default:
                    System.err.println("unknown argument " + args[i]
                            + "; usage: --host H --port P [--transport epoll|io_uring|nio] [--allocator pooled|adaptive]");
                    System.exit(2);
            }
        }
        return a;
    }

    private static String need(String flag, String value) {
        if (value == null) {
            System.err.println(flag + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
