// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;

/** The load generator's flags; see {@link LoadGen#usage()}. */
final class LoadOptions {
    String mode;
    String scenario;
    String label = "server";
    InetAddress host;
    int port = 7000;
    /** A Unix domain socket path to connect to instead of host:port, or null. */
    Path unix;
    int connections = -1;
    int threads = 1;
    double warmupSeconds = 2;
    double durationSeconds = 5;
    int windowBytes = 64 * 1024;
    double rate = 50_000;
    long serverPid;
    long clockTicks = 100;
    Path gcLog;

    /** @return where to connect: the Unix socket path, or host:port */
    java.net.SocketAddress address() {
        return unix != null ? java.net.UnixDomainSocketAddress.of(unix) : new java.net.InetSocketAddress(host, port);
    }

    /** Opens a blocking channel to {@link #address()}; TCP_NODELAY on TCP (Unix sockets have no Nagle). */
    java.nio.channels.SocketChannel open() throws java.io.IOException {
        java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(address());
        if (unix == null) {
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
        }
        return ch;
    }

    static LoadOptions parse(String[] args) {
        LoadOptions o = new LoadOptions();
        String hostName = "127.0.0.1";
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            switch (flag) {
                case "--mode":
                    o.mode = v.toLowerCase(Locale.ROOT);
                    break;
                case "--scenario":
                    o.scenario = v;
                    break;
                case "--label":
                    o.label = v;
                    break;
                case "--host":
                    hostName = v;
                    break;
                case "--port":
                    o.port = Integer.parseInt(v);
                    break;
                case "--unix":
                    o.unix = Path.of(v);
                    break;
                case "--connections":
                    o.connections = Integer.parseInt(v);
                    break;
                case "--threads":
                    o.threads = Integer.parseInt(v);
                    break;
                case "--warmup":
                    o.warmupSeconds = Double.parseDouble(v);
                    break;
                case "--duration":
                    o.durationSeconds = Double.parseDouble(v);
                    break;
                case "--window":
                    o.windowBytes = Integer.parseInt(v);
                    break;
                case "--rate":
                    o.rate = Double.parseDouble(v);
                    break;
                case "--server-pid":
                    o.serverPid = Long.parseLong(v);
                    break;
                case "--clk-tck":
                    o.clockTicks = Long.parseLong(v);
                    break;
                case "--gc-log":
                    o.gcLog = Path.of(v);
                    break;
                default:
                    throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (o.mode == null) {
            throw new IllegalArgumentException("--mode is required");
        }
        if (o.scenario == null) {
            o.scenario = o.mode;
        }
        try {
            o.host = InetAddress.getByName(hostName);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve " + hostName);
        }
        // Load is only ever sent to this machine.
        if (!o.host.isLoopbackAddress()) {
            throw new IllegalArgumentException("--host must be a loopback address, not " + hostName);
        }
        if (o.connections < 0) {
            o.connections = o.mode.equals("paced") ? 1000 : o.mode.equals("closed-loop") ? 1 : 50;
        }
        if (o.connections < 1 || o.threads < 1 || o.threads > o.connections || o.windowBytes < 12
                || o.rate <= 0 || o.durationSeconds <= 0 || o.warmupSeconds < 0) {
            throw new IllegalArgumentException("out-of-range value among --connections/--threads/--window/--rate/--duration");
        }
        return o;
    }

    long warmupNanos() {
        return (long) (warmupSeconds * 1e9);
    }

    long durationNanos() {
        return (long) (durationSeconds * 1e9);
    }
}
