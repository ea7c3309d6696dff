// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.load;

/**
 * The load generator: {@code java -cp pollwire-benchmarks.jar io.pollwire.bench.load.LoadGen
 * --mode pipelined|closed-loop|paced --port P [flags]}. Loopback only, bounded in time; prints
 * its figures and one tab-separated {@code RESULT} line that run.sh collects.
 */
public final class LoadGen {
    private LoadGen() {}

    static void usage() {
        System.err.println("usage: LoadGen --mode pipelined|closed-loop|paced --port P | --unix PATH [flags]\n"
                + "  --host ADDR          loopback address (default 127.0.0.1); others are refused\n"
                + "  --label NAME         server name to put in the result\n"
                + "  --scenario NAME      scenario name to put in the result (default: the mode)\n"
                + "  --connections N      default: pipelined 50, closed-loop 1, paced 1000\n"
                + "  --threads T          pipelined: selector threads (default 1)\n"
                + "  --warmup S           seconds before measuring (default 2)\n"
                + "  --duration S         seconds measured (default 5)\n"
                + "  --window BYTES       pipelined: bytes in flight per connection (default 65536)\n"
                + "  --rate R             paced: lines per second over all connections (default 50000)\n"
                + "  --server-pid PID     report the server's CPU share from /proc/PID/stat\n"
                + "  --clk-tck HZ         USER_HZ for /proc (getconf CLK_TCK; default 100)\n"
                + "  --gc-log FILE        the server's -Xlog:gc file: report its pauses while measured");
    }

    /**
     * Runs one scenario, or several in this JVM when their flag sets are separated by
     * {@code --then}. A failed scenario prints a {@code RESULT} line with an {@code error}
     * field and the exit status becomes 1; the others still run.
     */
    public static void main(String[] args) {
        java.util.List<java.util.List<String>> parts = new java.util.ArrayList<>();
        parts.add(new java.util.ArrayList<>());
        for (String a : args) {
            if (a.equals("--then")) {
                parts.add(new java.util.ArrayList<>());
            } else {
                parts.get(parts.size() - 1).add(a);
            }
        }
        java.util.List<LoadOptions> plan = new java.util.ArrayList<>();
        for (java.util.List<String> part : parts) {
            try {
                plan.add(LoadOptions.parse(part.toArray(new String[0])));
            } catch (IllegalArgumentException e) {
                System.err.println("loadgen: " + e.getMessage());
                usage();
                System.exit(2);
                return;
            }
        }
        int status = 0;
        for (LoadOptions o : plan) {
            status |= runOne(o);
        }
        System.exit(status);
    }

    private static int runOne(LoadOptions o) {
        try {
            Result r;
            switch (o.mode) {
                case "pipelined":
                    r = Pipelined.run(o);
                    break;
                case "closed-loop":
                    r = ClosedLoop.run(o);
                    break;
                case "paced":
                    r = Paced.run(o);
                    break;
                default:
                    throw new IllegalArgumentException("unknown mode " + o.mode);
            }
            System.out.println(o.label + " " + o.scenario + ":");
            r.putFirst("scenario", o.scenario).print();
            return 0;
        } catch (Exception e) {
            String why = e.toString() + (e.getCause() != null ? " / cause: " + e.getCause() : "");
            System.err.println("loadgen: " + o.label + " " + o.mode + " failed: " + why);
            new Result().put("scenario", o.scenario).put("mode", o.mode).put("server", o.label).put("connections", o.connections)
                    .put("error", why.replace('\t', ' ').replace('\n', ' ')).print();
            return 1;
        }
    }
}
