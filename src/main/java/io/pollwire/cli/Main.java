// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Transport;
import io.pollwire.observe.Loggers;
import io.pollwire.transport.loader.NativeLibrary;
import io.pollwire.transport.loader.Platform;
import java.io.PrintStream;

/**
 * Command-line entry point of the pollwire jar: {@code info}, {@code echo}, {@code http}, {@code redis},
 * {@code proxy}.
 */
public final class Main {
    /** The parent of pollwire's loggers, once quietened: held so that its level stays. */
    private static java.util.logging.Logger libraryLogger;

    private Main() {}

    /**
     * Runs a subcommand and exits with its status.
     *
     * @param args {@code info}, {@code echo [flags]}, {@code http [flags]} or {@code redis [flags]};
     *     {@code --help} lists them
     */
    public static void main(String[] args) {
        quietLibraryLogging();
        System.exit(run(args, System.out, System.err));
    }

    /**
     * The commands print their own status lines; the library's INFO logs would only repeat
     * them. Left alone when the user configured java.util.logging. The level is set on the
     * parent of every pollwire logger ({@code io.pollwire.loop}, {@code .shutdown}, ...), which
     * is kept here: java.util.logging holds loggers weakly, and a collected parent would take
     * its level with it before the children are made.
     */
    private static void quietLibraryLogging() {
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            libraryLogger = java.util.logging.Logger.getLogger(Loggers.ROOT);
            libraryLogger.setLevel(java.util.logging.Level.WARNING);
        }
        // The default log format prints a zoned time, whose data file the JDK opens on first
        // use: do that now, not when the server is out of descriptors and has a warning to log.
        java.time.ZonedDateTime.now().toString();
    }

    /**
     * Runs a subcommand without exiting.
     *
     * @return the exit status
     */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("pollwire: no command given");
            usage(err);
            return 2;
        }
        String command = args[0];
        switch (command) {
            case "info":
                return infoCommand(args, out, err);
            case "echo":
                return new EchoCommand().run(args, out, err);
            case "http":
                return new HttpCommand().run(args, out, err);
            case "redis":
                return new RedisCommand().run(args, out, err);
            case "proxy":
                return new ProxyCommand().run(args, out, err);
            case "--help":
            case "-h":
            case "help":
                usage(out);
                return 0;
            case "--version":
                if (args.length > 1) {
                    return Options.usageError("pollwire", "--version takes no arguments: '" + args[1] + "'", err);
                }
                out.println("pollwire " + version());
                return 0;
            default:
                return Options.usageError("pollwire", "unknown command '" + command + "'", err);
        }
    }

    static void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar <command> [options]   (--version: the version)");
        out.println("commands:");
        out.println("  info    version, platform, native work dir and which transports are available (and why not)");
        out.println("  echo    echo server: java -jar pollwire.jar echo --port 7000 [--framing line|fixed:N|length:W|delimiter:HEX]");
        out.println("          (--help for options)");
        out.println("  http    HTTP/1.1 example server: java -jar pollwire.jar http --port 8080 (GET /plaintext)");
        out.println("  proxy   TCP/Unix socket proxy: java -jar pollwire.jar proxy --port 8000 --backend HOST:PORT");
        out.println("  redis   RESP (Redis protocol) example server: java -jar pollwire.jar redis --port 6379");
    }

    /** @return the jar's Implementation-Version, or "(development build)" outside a jar */
    static String version() {
        Package pkg = Main.class.getPackage();
        String version = pkg == null ? null : pkg.getImplementationVersion();
        return version == null ? "(development build)" : version;
    }

    /** {@code info} takes no options but {@code --help}; anything else is a mistake, not ignored. */
    private static int infoCommand(String[] args, PrintStream out, PrintStream err) {
        try {
            if (Options.parse(args, 1).help()) {
                out.println("usage: java -jar pollwire.jar info");
                out.println("prints the version, the platform and which transports are available (and why not)");
                return 0;
            }
        } catch (Options.UsageException e) {
            return Options.usageError("pollwire info", e.getMessage(), err);
        }
        return info(out);
    }

    /**
     * The parent directory the loader extracts the bundled library into, and the property it
     * comes from, e.g. {@code /srv/app/wd (-Dpollwire.native.workdir=wd; ...)}: the same lookup as
     * {@link NativeLibrary}, so a user can see which directory must be writable and executable.
     */
    static String workDir() {
        String workdir = System.getProperty(NativeLibrary.WORKDIR_PROPERTY);
        boolean given = workdir != null && !workdir.isEmpty();
        String property = given ? NativeLibrary.WORKDIR_PROPERTY : "java.io.tmpdir";
        String value = given ? workdir : System.getProperty("java.io.tmpdir");
        String absolute;
        try {
            absolute = java.nio.file.Path.of(value).toAbsolutePath().toString();
        } catch (RuntimeException e) { // InvalidPathException, e.g. non-ASCII under LANG=C
            absolute = value;
        }
        return absolute + " (-D" + property + "=" + value + "; the bundled library is extracted under it)";
    }

    static int info(PrintStream out) {
        out.println("pollwire " + version());
        out.println("platform: " + Platform.classifier() + ", java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + ")");
        if (NativeLibrary.isLoaded()) {
            out.println("native library: " + NativeLibrary.backend() + " backend, loaded from "
                    + NativeLibrary.source());
        } else {
            out.println("native library: not loaded");
        }
        out.println("native work dir: " + workDir());
        for (Transport t : Transport.values()) {
            if (t == Transport.AUTO) {
                out.println("AUTO: resolves to " + t.resolve());
            } else if (t.isAvailable()) {
                out.println(t + ": available");
            } else {
                out.println(t + ": unavailable (" + NativeLibrary.describe(t.unavailabilityCause()) + ")");
            }
        }
        return 0;
    }
}
