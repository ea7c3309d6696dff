// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses {@code --name value} / {@code --name=value} flags, with typed getters and clear errors. */
final class Options {
    /** Exit status of a command-line mistake. */
    static final int EXIT_USAGE = 2;

    /** A command-line mistake: printed on one line with a pointer to --help, exit status 2. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Reports a mistake on one line, what is wrong and where the usage is, rather than
     * burying it above the whole usage text.
     *
     * @param command {@code "pollwire"} or {@code "pollwire echo"}...
     * @return {@link #EXIT_USAGE}
     */
    static int usageError(String command, String problem, PrintStream err) {
        String help = command.equals("pollwire") ? "java -jar pollwire.jar --help"
                : "java -jar pollwire.jar " + command.substring("pollwire ".length()) + " --help";
        err.println(command + ": " + problem + " (usage: " + help + ")");
        return EXIT_USAGE;
    }

    private final Map<String, String> values = new LinkedHashMap<>();
    private boolean help;

    static Options parse(String[] args, int from, String... known) throws UsageException {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                o.help = true;
                continue;
            }
            if (!a.startsWith("--")) {
                throw new UsageException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            boolean ok = false;
            for (String k : known) {
                ok |= k.equals(name);
            }
            if (!ok) {
                // checked before the value: "--bogus" at the end is unknown, not missing a value
                throw new UsageException("unknown option --" + name);
            }
            if (eq < 0) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            o.values.put(name, value);
        }
        return o;
    }

    boolean help() {
        return help;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    int integer(String name, int dflt, int min, int max) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            long n = parseSize(v);
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be in " + min + ".." + max + ": " + v);
            }
            return (int) n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not a number: " + v);
        }
    }

    /** Accepts 65536, 64k, 64KiB, 1m. */
    private static long parseSize(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("kib") || s.endsWith("k")) {
            mult = 1024;
            s = s.substring(0, s.length() - (s.endsWith("kib") ? 3 : 1));
        } else if (s.endsWith("mib") || s.endsWith("m")) {
            mult = 1024 * 1024;
            s = s.substring(0, s.length() - (s.endsWith("mib") ? 3 : 1));
        }
        return Math.multiplyExact(Long.parseLong(s), mult);
    }

    /** Accepts 10s, 500ms, 5m, 1h, a plain number of seconds, or off/0. */
    Duration duration(String name, Duration dflt) throws UsageException {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("off") || s.equals("none")) {
            return Duration.ZERO;
        }
        try {
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            } else if (s.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
            }
            if (d.isNegative()) {
                throw new UsageException("--" + name + " must not be negative: " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " is not a duration (e.g. 10s, 500ms, 5m): " + v);
        }
    }
}
