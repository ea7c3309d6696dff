// SPDX-License-Identifier: Apache-2.0
package io.pollwire.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Turns run.sh's raw {@code RESULT} lines into the published results: a Markdown file (medians
 * with min/max over the repetitions, ratios to the C reference and to Netty 4.2 epoll, the
 * issue's targets, the HTTP comparison of http.sh, the environment) and an SVG chart drawn
 * here, with no plotting library.
 *
 * <p>{@code java -cp pollwire-benchmarks.jar io.pollwire.bench.report.Report RAW.tsv META.txt OUT.md OUT.svg
 * [SUMMARY.md LINK_BASE]...}: each optional summary is the compact version run.sh splices into a
 * README (benchmarks/README.md, the top-level README.md), its links to the results files made
 * of LINK_BASE, the path from that README to OUT.md without ".md" (default {@code results/NAME}).
 */
public final class Report {
    /** Display order; servers not listed here follow in the order first seen. */
    static final List<String> SERVER_ORDER = List.of("c", "hand-nio", "pollwire-epoll", "pollwire-nio",
            "netty42-epoll", "netty42-io_uring", "netty42-nio", "netty41-epoll");
    static final String C = "c";
    static final String NETTY = "netty42-epoll";
    /** The two sides of the HTTP comparison (rows with mode=wrk, from http.sh). */
    static final String POLLWIRE_HTTP = "pollwire-http";
    static final String NETTY_HTTP = "netty42-http";
    static final List<String> HTTP_SCENARIOS = List.of("http-keepalive", "http-pipelined");

    private final List<Map<String, String>> rows = new ArrayList<>();
    private final Map<String, List<String>> meta = new LinkedHashMap<>();
    /** The line-echo servers, in display order. */
    private final List<String> servers = new ArrayList<>();
    /** The HTTP servers, in display order. */
    private final List<String> httpServers = new ArrayList<>();

    Report(List<String> rawLines, List<String> metaLines) {
        for (String line : rawLines) {
            String[] f = line.split("\t");
            Map<String, String> row = new LinkedHashMap<>();
            for (String kv : f) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    row.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            if (row.containsKey("server") && row.containsKey("scenario")) {
                rows.add(row);
            }
        }
        for (String line : metaLines) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                meta.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        for (String s : SERVER_ORDER) {
            if (rows.stream().anyMatch(r -> r.get("server").equals(s))) {
                servers.add(s);
            }
        }
        for (Map<String, String> r : rows) {
            if (!servers.contains(r.get("server"))) {
                servers.add(r.get("server"));
            }
        }
        for (String s : List.of(POLLWIRE_HTTP, NETTY_HTTP)) {
            if (rows.stream().anyMatch(r -> r.get("server").equals(s))) {
                httpServers.add(s);
            }
        }
        for (Map<String, String> r : rows) {
            if ("wrk".equals(r.get("mode")) && !httpServers.contains(r.get("server"))) {
                httpServers.add(r.get("server"));
            }
        }
        servers.removeAll(httpServers);
    }

    // ---- statistics --------------------------------------------------------------------

    /** Median, min and max of one metric over the repetitions; n = 0 when there is none. */
    record Stat(double median, double min, double max, int n) {
        static final Stat NONE = new Stat(Double.NaN, Double.NaN, Double.NaN, 0);

        boolean present() {
            return n > 0;
        }
    }

    Stat stat(String scenario, String server, String key) {
        double[] v = rows.stream()
                .filter(r -> r.get("scenario").equals(scenario) && r.get("server").equals(server)
                        && !r.containsKey("error") && r.containsKey(key))
                .mapToDouble(r -> Double.parseDouble(r.get(key)))
                .filter(d -> d >= 0)
                .sorted()
                .toArray();
        if (v.length == 0) {
            return Stat.NONE;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Stat(median, v[0], v[v.length - 1], v.length);
    }

    /** A derived per-repetition metric (e.g. lines per server CPU-second), then its median. */
    Stat derived(String scenario, String server, String a, String b, DoubleBinary op) {
        double[] v = rows.stream()
                .filter(r -> r.get("scenario").equals(scenario) && r.get("server").equals(server)
                        && !r.containsKey("error") && r.containsKey(a) && r.containsKey(b))
                .mapToDouble(r -> op.apply(Double.parseDouble(r.get(a)), Double.parseDouble(r.get(b))))
                .filter(d -> d >= 0 && Double.isFinite(d))
                .sorted()
                .toArray();
        if (v.length == 0) {
            return Stat.NONE;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Stat(median, v[0], v[v.length - 1], v.length);
    }

    /**
     * The median over the repetitions of a/b, each repetition's a and b measured side by side:
     * steadier than the ratio of two medians when the machine's load drifts between repetitions.
     */
    Stat pairedRatio(String scenario, String key, String serverA, String serverB) {
        Map<String, Double> a = perRep(scenario, serverA, key);
        Map<String, Double> b = perRep(scenario, serverB, key);
        double[] v = a.entrySet().stream()
                .filter(e -> b.containsKey(e.getKey()) && b.get(e.getKey()) > 0)
                .mapToDouble(e -> e.getValue() / b.get(e.getKey()))
                .sorted()
                .toArray();
        if (v.length == 0) {
            return Stat.NONE;
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Stat(median, v[0], v[v.length - 1], v.length);
    }

    private Map<String, Double> perRep(String scenario, String server, String key) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, String> r : rows) {
            if (r.get("scenario").equals(scenario) && r.get("server").equals(server) && !r.containsKey("error")
                    && r.containsKey(key)) {
                out.put(r.getOrDefault("rep", "?"), Double.parseDouble(r.get(key)));
            }
        }
        return out;
    }

    interface DoubleBinary {
        double apply(double a, double b);
    }

    List<String> errors() {
        List<String> out = new ArrayList<>();
        for (Map<String, String> r : rows) {
            if (r.containsKey("error")) {
                out.add("rep " + r.getOrDefault("rep", "?") + ", " + r.get("server") + ", " + r.get("scenario")
                        + ": " + r.get("error"));
            }
        }
        return out;
    }

    boolean hasScenario(String scenario) {
        return rows.stream().anyMatch(r -> r.get("scenario").equals(scenario) && !r.containsKey("error"));
    }

    // ---- formatting ----------------------------------------------------------------------

    static String si(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    static String micros(double us) {
        if (Double.isNaN(us)) {
            return "–";
        }
        if (us >= 10_000) {
            return String.format(Locale.ROOT, "%.0f ms", us / 1000);
        }
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%.2f ms", us / 1000);
        }
        return String.format(Locale.ROOT, "%.0f µs", us);
    }

    static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "–";
        }
        double r = a / b;
        return String.format(Locale.ROOT, r >= 10 ? "%.1f×" : "%.2f×", r);
    }

    static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", v);
    }

    static String range(Stat s, java.util.function.DoubleFunction<String> f) {
        if (!s.present()) {
            return "–";
        }
        return s.n() == 1 ? f.apply(s.median()) : f.apply(s.min()) + " – " + f.apply(s.max());
    }

    // ---- Markdown ------------------------------------------------------------------------

    String markdown(String svgName) {
        StringBuilder md = new StringBuilder();
        md.append("# pollwire load comparison: ").append(first("date")).append(", ").append(first("host"))
                .append(first("mode").equals("quick") ? " (quick smoke run: too short to quote)" : "")
                .append("\n\n");
        if (!servers.isEmpty()) {
            md.append("Line-echo servers on loopback, server pinned to one core and the load generator to the other, ")
                    .append(first("reps")).append(" repetition(s) with the server order rotated each time. ")
                    .append("Figures are medians over the repetitions, with min – max. Unless a table says otherwise ")
                    .append("the client is pollwire's Java load generator (`benchmarks/harness`, `LoadGen`); ")
                    .append("the redis-benchmark tables are the third-party cross-check")
                    .append(httpServers.isEmpty() ? "" : ", and the HTTP table's client is wrk").append(".\n\n");
        } else {
            md.append("HTTP servers on loopback, pinned to one core, wrk pinned to the other, ").append(first("reps"))
                    .append(" repetition(s). Figures are medians over the repetitions, with min – max.\n\n");
        }
        md.append("![chart](").append(svgName).append(")\n\n");

        for (String pipe : List.of("pipelined", "pipelined-30s")) {
            if (!hasScenario(pipe)) {
                continue;
            }
            md.append(pipe.equals("pipelined") ? "## Pipelined: " : "## Pipelined soak, 30 s measured: ")
                    .append(first("pipelined")).append(" (client: LoadGen)\n\n");
            md.append("| server | lines/s | min – max | × C | × Netty 4.2 epoll | server CPU | client CPU "
                    + "| lines per server CPU-s | CPU-s × C | GC pauses while measured |\n");
            md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            Stat c = stat(pipe, C, "lines_per_s");
            Stat cEff = derived(pipe, C, "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100));
            Stat n = stat(pipe, NETTY, "lines_per_s");
            for (String s : servers) {
                Stat v = stat(pipe, s, "lines_per_s");
                if (!v.present()) {
                    continue;
                }
                Stat eff = derived(pipe, s, "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100));
                Stat gc = stat(pipe, s, "server_gc_pauses");
                md.append("| ").append(s).append(" | **").append(si(v.median())).append("** | ")
                        .append(range(v, Report::si)).append(" | ").append(ratio(v.median(), c.median()))
                        .append(" | ").append(ratio(v.median(), n.median())).append(" | ")
                        .append(pct(stat(pipe, s, "server_cpu_pct").median())).append(" | ")
                        .append(pct(stat(pipe, s, "client_cpu_pct").median())).append(" | ")
                        .append(si(eff.median())).append(" | ").append(ratio(eff.median(), cEff.median()))
                        .append(" | ")
                        .append(gc.present() ? String.format(Locale.ROOT, "%.0f (max %.0f)", gc.median(), gc.max()) : "n/a")
                        .append(" |\n");
            }
            md.append("\nCPU columns are percent of one core over the measured interval (from /proc: what the "
                    + "machine's other load leaves shows up as less than 100% for both). \"lines per server "
                    + "CPU-s\" divides throughput by the server's CPU share: the least noise-sensitive "
                    + "comparison on a shared machine.\n\n");
        }
        for (String sc : List.of("closed-loop-1", "closed-loop-50")) {
            if (!hasScenario(sc)) {
                continue;
            }
            md.append("## Closed loop (ping-pong), ").append(sc.substring(sc.lastIndexOf('-') + 1))
                    .append(" connection(s), one 12-byte line in flight each (client: LoadGen)\n\n");
            md.append("| server | round trips/s | min – max | × C | × Netty 4.2 epoll | p50 | p99 | p99.9 | server CPU | client CPU |\n");
            md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            Stat c = stat(sc, C, "rt_per_s");
            Stat n = stat(sc, NETTY, "rt_per_s");
            for (String s : servers) {
                Stat v = stat(sc, s, "rt_per_s");
                if (!v.present()) {
                    continue;
                }
                md.append("| ").append(s).append(" | **").append(si(v.median())).append("** | ")
                        .append(range(v, Report::si)).append(" | ").append(ratio(v.median(), c.median()))
                        .append(" | ").append(ratio(v.median(), n.median())).append(" | ")
                        .append(micros(stat(sc, s, "p50_us").median())).append(" | ")
                        .append(micros(stat(sc, s, "p99_us").median())).append(" | ")
                        .append(micros(stat(sc, s, "p999_us").median())).append(" | ")
                        .append(pct(stat(sc, s, "server_cpu_pct").median())).append(" | ")
                        .append(pct(stat(sc, s, "client_cpu_pct").median())).append(" |\n");
            }
            md.append('\n');
        }
        if (hasScenario("paced-1000")) {
            md.append("## Paced open loop: 1,000 connections, ").append(si(Double.parseDouble(first("paced_rate"))))
                    .append(" lines/s in total (client: LoadGen)\n\n");
            md.append("Latency from each line's intended send time (coordinated-omission-correct), HdrHistogram.\n\n");
            md.append("The last columns measure from the moment the line was actually sent: they leave out the "
                    + "client's own lateness (its send lag is shown), which on a busy shared machine can dominate "
                    + "the tail.\n\n");
            md.append("| server | p50 | p99 | p99 min – max | p99 × C | p99.9 | max | achieved lines/s "
                    + "| client send lag p99 | not echoed | from send: p50 | from send: p99 | from send: p99 × C |\n");
            md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
            Stat cSend = stat("paced-1000", C, "from_send_p99_us");
            Stat c = stat("paced-1000", C, "p99_us");
            for (String s : servers) {
                Stat p99 = stat("paced-1000", s, "p99_us");
                if (!p99.present()) {
                    continue;
                }
                md.append("| ").append(s).append(" | ").append(micros(stat("paced-1000", s, "p50_us").median()))
                        .append(" | **").append(micros(p99.median())).append("** | ")
                        .append(range(p99, Report::micros)).append(" | ").append(ratio(p99.median(), c.median()))
                        .append(" | ").append(micros(stat("paced-1000", s, "p999_us").median())).append(" | ")
                        .append(micros(stat("paced-1000", s, "max_us").median())).append(" | ")
                        .append(si(stat("paced-1000", s, "achieved_rate").median())).append(" | ")
                        .append(micros(stat("paced-1000", s, "sender_lag_p99_us").median())).append(" | ")
                        .append(String.format(Locale.ROOT, "%.0f", stat("paced-1000", s, "not_echoed").max()))
                        .append(" | ").append(micros(stat("paced-1000", s, "from_send_p50_us").median()))
                        .append(" | ").append(micros(stat("paced-1000", s, "from_send_p99_us").median()))
                        .append(" | ").append(ratio(stat("paced-1000", s, "from_send_p99_us").median(), cSend.median()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        for (String sc : List.of("redis-pipelined", "redis-closed-loop-1")) {
            if (!hasScenario(sc)) {
                continue;
            }
            boolean piped = sc.equals("redis-pipelined");
            md.append("## Cross-check with a third-party client: redis-benchmark, ")
                    .append(piped ? "50 connections, pipeline depth 64" : "1 connection, closed loop")
                    .append(" (client: ").append(first("redis_benchmark")).append(")\n\n");
            md.append("Each request `*1\\r\\n$11\\r\\n0123456789a\\r\\n` is 3 lines (22 bytes); the echo is a valid "
                    + "one-element array reply.\n\n");
            md.append("| server | requests/s | min – max | lines/s | × C | × Netty 4.2 epoll |\n");
            md.append("|---|--:|--:|--:|--:|--:|\n");
            Stat c = stat(sc, C, "requests_per_s");
            Stat n = stat(sc, NETTY, "requests_per_s");
            for (String s : servers) {
                Stat v = stat(sc, s, "requests_per_s");
                if (!v.present()) {
                    continue;
                }
                md.append("| ").append(s).append(" | **").append(si(v.median())).append("** | ")
                        .append(range(v, Report::si)).append(" | ").append(si(v.median() * 3)).append(" | ")
                        .append(ratio(v.median(), c.median())).append(" | ").append(ratio(v.median(), n.median()))
                        .append(" |\n");
            }
            md.append('\n');
        }
        http(md);
        targets(md);
        List<String> errors = errors();
        if (!errors.isEmpty()) {
            md.append("## Failures\n\n");
            for (String e : errors) {
                md.append("- ").append(e).append('\n');
            }
            md.append('\n');
        }
        md.append("## Environment\n\n");
        for (Map.Entry<String, List<String>> e : meta.entrySet()) {
            for (String v : e.getValue()) {
                md.append("- ").append(e.getKey()).append(": `").append(v).append("`\n");
            }
        }
        md.append("\nReproduce: `benchmarks/run.sh` (see benchmarks/README.md).\n");
        return md.toString();
    }

    /** The wrk comparison of pollwire's HTTP example with Netty's HttpServerCodec, from http.sh. */
    private void http(StringBuilder md) {
        if (HTTP_SCENARIOS.stream().noneMatch(this::hasScenario)) {
            return;
        }
        md.append("## HTTP plaintext: pollwire's HTTP example vs Netty 4.2 HttpServerCodec (client: ")
                .append(first("http_client")).append(")\n\n");
        md.append("`GET /plaintext` → `Hello, World!` with Server, Date, Content-Type and Content-Length headers, ")
                .append("keep-alive, then pipelined (").append(first("http_pipeline")).append("). Servers: ")
                .append(first("http_servers")).append(". Client: `wrk ").append(first("http_wrk")).append("`. ")
                .append(first("http_timings"))
                .append(". × Netty is the median of the per-repetition ratios (the two servers are measured ")
                .append("side by side in each repetition). \"per server CPU-s\" divides the requests by the CPU time "
                        + "(user + system, all threads) the server used while measured: the least noise-sensitive "
                        + "figure on a shared machine. wrk's latency is per connection round trip, so it is shown "
                        + "for keep-alive only.\n\n");
        md.append("| scenario | ").append(POLLWIRE_HTTP).append(" req/s | ").append(NETTY_HTTP)
                .append(" req/s | × Netty | ").append(POLLWIRE_HTTP).append(" req per server CPU-s | ")
                .append(NETTY_HTTP).append(" req per server CPU-s | × Netty | server CPU ")
                .append(POLLWIRE_HTTP).append(" / ").append(NETTY_HTTP).append(" | p50 / p99 ").append(POLLWIRE_HTTP)
                .append(" | p50 / p99 ").append(NETTY_HTTP).append(" |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        for (String sc : HTTP_SCENARIOS) {
            if (!hasScenario(sc)) {
                continue;
            }
            Stat pr = stat(sc, POLLWIRE_HTTP, "requests_per_s");
            Stat nr = stat(sc, NETTY_HTTP, "requests_per_s");
            Stat pc = stat(sc, POLLWIRE_HTTP, "requests_per_cpu_s");
            Stat nc = stat(sc, NETTY_HTTP, "requests_per_cpu_s");
            md.append("| ").append(httpScenarioName(sc)).append(" | ").append(withRange(pr, Report::si)).append(" | ")
                    .append(withRange(nr, Report::si)).append(" | ")
                    .append(ratioStat(pairedRatio(sc, "requests_per_s", POLLWIRE_HTTP, NETTY_HTTP))).append(" | ")
                    .append(withRange(pc, Report::si)).append(" | ").append(withRange(nc, Report::si)).append(" | ")
                    .append(ratioStat(pairedRatio(sc, "requests_per_cpu_s", POLLWIRE_HTTP, NETTY_HTTP))).append(" | ")
                    .append(pct(stat(sc, POLLWIRE_HTTP, "server_cpu_pct").median())).append(" / ")
                    .append(pct(stat(sc, NETTY_HTTP, "server_cpu_pct").median())).append(" | ")
                    .append(latencies(sc, POLLWIRE_HTTP)).append(" | ").append(latencies(sc, NETTY_HTTP)).append(" |\n");
        }
        md.append('\n');
    }

    private String httpScenarioName(String scenario) {
        return scenario.equals("http-keepalive") ? "keep-alive, " + first("http_connections") + " connections"
                : "pipelined, " + first("http_connections") + " connections";
    }

    private String latencies(String scenario, String server) {
        Stat p50 = stat(scenario, server, "p50_us");
        Stat p99 = stat(scenario, server, "p99_us");
        return p50.present() || p99.present() ? micros(p50.median()) + " / " + micros(p99.median()) : "–";
    }

    /** "**median** (min – max)", or the median alone after one repetition. */
    static String withRange(Stat s, java.util.function.DoubleFunction<String> f) {
        if (!s.present()) {
            return "–";
        }
        return "**" + f.apply(s.median()) + "**" + (s.n() > 1 ? " (" + range(s, f) + ")" : "");
    }

    static String ratioStat(Stat s) {
        if (!s.present()) {
            return "–";
        }
        String median = String.format(Locale.ROOT, "%.2f×", s.median());
        return s.n() > 1 ? median + String.format(Locale.ROOT, " (%.2f – %.2f)", s.min(), s.max()) : median;
    }

    private void targets(StringBuilder md) {
        List<String[]> t = new ArrayList<>();
        double pe = stat("pipelined", "pollwire-epoll", "lines_per_s").median();
        double pn = stat("pipelined", "pollwire-nio", "lines_per_s").median();
        double ne = stat("pipelined", NETTY, "lines_per_s").median();
        double nn = stat("pipelined", "netty42-nio", "lines_per_s").median();
        double best = Math.max(nz(stat("pipelined", C, "lines_per_s").median()),
                nz(stat("pipelined", "hand-nio", "lines_per_s").median()));
        target(t, "pipelined: pollwire-epoll ≥ 5× Netty 4.2 epoll", pe / ne, 5);
        target(t, "pipelined: pollwire-epoll ≥ 80% of the better of C and hand NIO", pe / best, 0.8);
        target(t, "pipelined: pollwire-nio ≥ 3× Netty 4.2 NIO", pn / nn, 3);
        double ce = stat("closed-loop-1", "pollwire-epoll", "rt_per_s").median();
        target(t, "closed loop (1 conn): pollwire-epoll ≥ 1.1× Netty 4.2 epoll",
                ce / stat("closed-loop-1", NETTY, "rt_per_s").median(), 1.1);
        target(t, "closed loop (1 conn): pollwire-epoll ≥ 0.95× C", ce / stat("closed-loop-1", C, "rt_per_s").median(), 0.95);
        double p = stat("paced-1000", "pollwire-epoll", "p99_us").median();
        double pc = stat("paced-1000", C, "p99_us").median();
        if (!Double.isNaN(p) && !Double.isNaN(pc)) {
            t.add(new String[] {"paced 1,000 connections: pollwire-epoll p99 ≤ 2× C's",
                    String.format(Locale.ROOT, "%.2f× (%s vs %s)", p / pc, micros(p), micros(pc)), p <= 2 * pc ? "met" : "MISSED"});
        }
        double ps = stat("paced-1000", "pollwire-epoll", "from_send_p99_us").median();
        double pcs = stat("paced-1000", C, "from_send_p99_us").median();
        if (!Double.isNaN(ps) && !Double.isNaN(pcs)) {
            t.add(new String[] {"(same, latency from the actual send: without the client's lateness)",
                    String.format(Locale.ROOT, "%.2f× (%s vs %s)", ps / pcs, micros(ps), micros(pcs)), ps <= 2 * pcs ? "met" : "MISSED"});
        }
        double pipeEff = derived("pipelined", "pollwire-epoll", "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100)).median();
        double bestEff = Math.max(nz(derived("pipelined", C, "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100)).median()),
                nz(derived("pipelined", "hand-nio", "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100)).median()));
        if (!Double.isNaN(pipeEff) && bestEff > 0) {
            t.add(new String[] {"(pipelined, per server CPU-second: pollwire-epoll vs the better of C and hand NIO)",
                    String.format(Locale.ROOT, "%.2f×", pipeEff / bestEff), pipeEff >= 0.8 * bestEff ? "met" : "MISSED"});
        }
        for (String s : List.of("pollwire-epoll", "pollwire-nio")) {
            Stat gc = stat("pipelined", s, "server_gc_pauses");
            if (gc.present()) {
                t.add(new String[] {"pipelined: no GC pause while measured, -Xmx64m (" + s + ")",
                        String.format(Locale.ROOT, "%.0f in the worst repetition", gc.max()), gc.max() == 0 ? "met" : "MISSED"});
            }
        }
        if (t.isEmpty()) {
            return;
        }
        md.append("## Targets (issue 8), from the medians above\n\n| target | measured | |\n|---|--:|---|\n");
        for (String[] row : t) {
            md.append("| ").append(row[0]).append(" | ").append(row[1]).append(" | ").append(row[2]).append(" |\n");
        }
        md.append('\n');
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private static void target(List<String[]> t, String what, double ratio, double goal) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return;
        }
        t.add(new String[] {what, String.format(Locale.ROOT, "%.2f×", ratio), ratio >= goal ? "met" : "MISSED"});
    }

    private String first(String key) {
        List<String> v = meta.get(key);
        return v == null || v.isEmpty() ? "?" : v.get(0);
    }

    /**
     * The compact tables run.sh splices into a README: one row per line-echo server, the HTTP
     * comparison, the targets.
     *
     * @param linkBase path from that README to the results files, without ".md"/".svg"
     */
    String summary(String linkBase) {
        StringBuilder md = new StringBuilder();
        md.append(first("mode").equals("quick") ? "Latest run (a quick smoke run: too short to quote): [`"
                : "Latest full run: [`").append(linkBase).append(".md`](").append(linkBase).append(".md), ")
                .append(first("date")).append(", ").append(first("cpu")).append(", load average ")
                .append(first("loadavg")).append(". Medians of ").append(first("reps"))
                .append(" repetition(s); client LoadGen unless marked.\n\n");
        md.append("![chart](").append(linkBase).append(".svg)\n\n");
        if (servers.isEmpty()) {
            httpSummary(md);
            return md.toString();
        }
        md.append("| server | pipelined lines/s | × C | × Netty 4.2 epoll | per server CPU-s × C "
                + "| closed loop rt/s | paced p99 | paced p99 from send | redis-benchmark pipelined req/s |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
        double c = stat("pipelined", C, "lines_per_s").median();
        double n = stat("pipelined", NETTY, "lines_per_s").median();
        double cEff = derived("pipelined", C, "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100)).median();
        for (String s : servers) {
            double v = stat("pipelined", s, "lines_per_s").median();
            double eff = derived("pipelined", s, "lines_per_s", "server_cpu_pct", (a, b) -> a / (b / 100)).median();
            md.append("| ").append(s).append(" | ").append(si(v)).append(" | ").append(ratio(v, c)).append(" | ")
                    .append(ratio(v, n)).append(" | ").append(ratio(eff, cEff)).append(" | ")
                    .append(si(stat("closed-loop-1", s, "rt_per_s").median())).append(" | ")
                    .append(micros(stat("paced-1000", s, "p99_us").median())).append(" | ")
                    .append(micros(stat("paced-1000", s, "from_send_p99_us").median())).append(" | ")
                    .append(si(stat("redis-pipelined", s, "requests_per_s").median())).append(" |\n");
        }
        md.append('\n');
        httpSummary(md);
        StringBuilder targets = new StringBuilder();
        targets(targets);
        md.append(targets.toString().replace("## Targets (issue 8), from the medians above", "Targets (issue 8):"));
        return md.toString();
    }

    private void httpSummary(StringBuilder md) {
        if (HTTP_SCENARIOS.stream().noneMatch(this::hasScenario)) {
            return;
        }
        md.append("HTTP plaintext, pollwire's HTTP example vs Netty 4.2 `HttpServerCodec` (client: ")
                .append(first("http_client")).append("):\n\n");
        md.append("| scenario | ").append(POLLWIRE_HTTP).append(" req/s | ").append(NETTY_HTTP)
                .append(" req/s | × Netty | req per server CPU-s × Netty |\n|---|--:|--:|--:|--:|\n");
        for (String sc : HTTP_SCENARIOS) {
            if (!hasScenario(sc)) {
                continue;
            }
            md.append("| ").append(httpScenarioName(sc)).append(" | ")
                    .append(si(stat(sc, POLLWIRE_HTTP, "requests_per_s").median())).append(" | ")
                    .append(si(stat(sc, NETTY_HTTP, "requests_per_s").median())).append(" | ")
                    .append(ratioStat(pairedRatio(sc, "requests_per_s", POLLWIRE_HTTP, NETTY_HTTP))).append(" | ")
                    .append(ratioStat(pairedRatio(sc, "requests_per_cpu_s", POLLWIRE_HTTP, NETTY_HTTP))).append(" |\n");
        }
        md.append('\n');
    }

    // ---- SVG -----------------------------------------------------------------------------

    /** One panel of horizontal bars: median bar, min–max whisker, value label. */
    private record Panel(String title, String scenario, String key, DoubleUnaryOperator scale,
            java.util.function.DoubleFunction<String> label, List<String> who) {}

    String svg() {
        List<Panel> panels = new ArrayList<>();
        panels.add(new Panel("Pipelined, 50 connections: lines/s (higher is better)", "pipelined", "lines_per_s",
                v -> v, Report::si, servers));
        panels.add(new Panel("Pipelined soak, 50 connections, 30 s: lines/s (higher is better)", "pipelined-30s",
                "lines_per_s", v -> v, Report::si, servers));
        panels.add(new Panel("Closed loop, 1 connection: round trips/s (higher is better)", "closed-loop-1",
                "rt_per_s", v -> v, Report::si, servers));
        panels.add(new Panel("Closed loop, 50 connections: round trips/s (higher is better)", "closed-loop-50",
                "rt_per_s", v -> v, Report::si, servers));
        panels.add(new Panel("Paced, 1,000 connections: p99 latency (lower is better)", "paced-1000", "p99_us",
                v -> v, Report::micros, servers));
        panels.add(new Panel("redis-benchmark, 50 connections, pipeline 64: requests/s (higher is better)",
                "redis-pipelined", "requests_per_s", v -> v, Report::si, servers));
        panels.add(new Panel("HTTP plaintext, wrk, keep-alive: requests/s (higher is better)", "http-keepalive",
                "requests_per_s", v -> v, Report::si, httpServers));
        panels.add(new Panel("HTTP plaintext, wrk, pipelined: requests/s (higher is better)", "http-pipelined",
                "requests_per_s", v -> v, Report::si, httpServers));
        panels.removeIf(p -> !hasScenario(p.scenario()));

        int width = 960;
        int labelWidth = 150;
        int barArea = width - labelWidth - 130;
        int rowHeight = 22;
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (Panel p : panels) {
            body.append(String.format(Locale.ROOT,
                    "<text x=\"10\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", y, esc(p.title())));
            y += 10;
            double max = 0;
            for (String s : p.who()) {
                Stat st = stat(p.scenario(), s, p.key());
                if (st.present()) {
                    max = Math.max(max, st.max());
                }
            }
            if (max <= 0) {
                max = 1;
            }
            for (String s : p.who()) {
                Stat st = stat(p.scenario(), s, p.key());
                y += rowHeight;
                body.append(String.format(Locale.ROOT,
                        "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"end\">%s</text>%n",
                        labelWidth - 8, y - 6, esc(s)));
                if (!st.present()) {
                    body.append(String.format(Locale.ROOT,
                            "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#888\">no result</text>%n", labelWidth + 4, y - 6));
                    continue;
                }
                double w = barArea * st.median() / max;
                String color = s.startsWith("pollwire") ? "#d9480f" : s.equals(C) ? "#495057" : s.startsWith("netty")
                        ? "#4c6ef5" : "#2f9e44";
                body.append(String.format(Locale.ROOT,
                        "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        labelWidth, y - rowHeight + 4, Math.max(1, w), rowHeight - 8, color));
                if (st.n() > 1) {
                    double x0 = labelWidth + barArea * st.min() / max;
                    double x1 = labelWidth + barArea * st.max() / max;
                    int cy = y - rowHeight / 2;
                    body.append(String.format(Locale.ROOT,
                            "<path d=\"M%.1f %dH%.1fM%.1f %dv8M%.1f %dv8\" stroke=\"#000\" stroke-width=\"1.2\"/>%n",
                            x0, cy, x1, x0, cy - 4, x1, cy - 4));
                }
                body.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>%n",
                        labelWidth + barArea * st.max() / max + 6, y - 6, esc(p.label().apply(st.median()))));
            }
            y += 30;
        }
        String head = String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"Helvetica, Arial, sans-serif\">%n"
                        + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>%n"
                        + "<text x=\"10\" y=\"20\" font-size=\"13\" fill=\"#555\">%s</text>%n",
                width, y, width, y, esc("pollwire benchmarks " + first("date") + ", " + first("host") + ", "
                        + first("cpu") + "; medians, whiskers = min–max over " + first("reps") + " repetition(s)"));
        return head + body + "</svg>\n";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: Report RAW.tsv META.txt OUT.md OUT.svg [SUMMARY.md [LINK_BASE]]...");
            System.exit(2);
        }
        Report r = new Report(Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8),
                Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8));
        Path svg = Path.of(args[3]);
        Files.writeString(Path.of(args[2]), r.markdown(svg.getFileName().toString()), StandardCharsets.UTF_8);
        Files.writeString(svg, r.svg(), StandardCharsets.UTF_8);
        String name = svg.getFileName().toString().replaceFirst("\\.svg$", "");
        for (int i = 4; i < args.length; i += 2) {
            String linkBase = i + 1 < args.length ? args[i + 1] : "results/" + name;
            Files.writeString(Path.of(args[i]), r.summary(linkBase), StandardCharsets.UTF_8);
        }
        if (!r.errors().isEmpty()) {
            System.err.println("report: " + r.errors().size() + " failed measurement(s), listed in " + args[2]);
        }
        System.out.println(Arrays.toString(new String[] {args[2], args[3]}));
    }
}
