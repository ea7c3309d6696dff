// SPDX-License-Identifier: Apache-2.0
package io.pollwire.cli;

import io.pollwire.Connection;
import io.pollwire.ConnectionHandler;
import io.pollwire.Frames;
import io.pollwire.Server;
import io.pollwire.codec.FrameTooLongException;
import io.pollwire.codec.Framing;
import io.pollwire.codec.FramingException;
import io.pollwire.codec.LengthFieldFraming;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code echo}: sends every frame back exactly as it arrived, delimiter or header included
 * ({@link Connection#echo()}), so each framing can be tried from the shell:
 *
 * <ul>
 *   <li>{@code --framing line} (default): lines, {@code '\n'} or {@code "\r\n"} terminated;
 *   <li>{@code --framing fixed:N}: N-byte records;
 *   <li>{@code --framing length:W}: a W-byte (1..8) big-endian length, then that many bytes;
 *   <li>{@code --framing delimiter:HEX}: records ending with the delimiter given in hex, e.g.
 *       {@code delimiter:00} or {@code delimiter:0d0a}.
 * </ul>
 *
 * <p>A frame cut short by the client closing its side is echoed too (the bytes as sent); a
 * frame over the limit gets {@code ERR <reason>} and that connection is closed.
 */
final class EchoCommand extends ServerCommand {
    private Framing framing;
    private int maxConnections;
    private int maxBuffered;

    EchoCommand() {
        super("echo", "0.0.0.0", 7000, ALL_PROCESSORS, Duration.ofMinutes(5), Shared.UNIX, Shared.REUSE_PORT);
    }

    /** Echoes frames back without copying them: a whole read's lines as one range. */
    static final class EchoHandler implements ConnectionHandler {
        private static final Pattern LENGTH_FIELD = Pattern.compile("^frame too long: length field (\\d+)\\b");
        private final int lengthHeader;

        /** @param lengthHeader the width of a length field, 0 for the other framings */
        EchoHandler(int lengthHeader) {
            this.lengthHeader = lengthHeader;
        }

        /**
         * For {@code length:W}, says what was too long in the units of {@code --max-frame}
         * (content bytes, the header not counted), where the framer counts whole frames.
         */
        @Override
        public void onFramingError(Connection connection, FramingException error) {
            Matcher m = LENGTH_FIELD.matcher(String.valueOf(error.getMessage()));
            if (lengthHeader == 0 || !(error instanceof FrameTooLongException) || !m.find()) {
                ConnectionHandler.super.onFramingError(connection, error);
                return;
            }
            long maxContent = ((FrameTooLongException) error).maxLength() - lengthHeader;
            connection.write(("ERR frame too long: length field " + m.group(1) + ", max " + maxContent
                    + " bytes (--max-frame, the " + lengthHeader + "-byte length not counted)\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void onFrames(Connection connection, Frames frames) {
            frames.echoAll();
        }

        @Override
        public void onFrame(Connection connection, ByteBuffer frame) {
            connection.echo();
        }

        @Override
        public void onPartialFrame(Connection connection, ByteBuffer partial) {
            connection.echo();
        }
    }

    @Override
    void usage(PrintStream out) {
        out.println("usage: java -jar pollwire.jar echo [options]");
        listenUsage(out, "event loop threads (default: available processors)");
        out.println("  --framing F              how input is cut into frames (default line):");
        out.println("                             line          lines ending in \\n or \\r\\n");
        out.println("                             fixed:N       N-byte records");
        out.println("                             length:W      W-byte big-endian length (W = 1..8), then that many bytes");
        out.println("                             delimiter:HEX records ending with these bytes, e.g. delimiter:00, delimiter:0d0a");
        out.println("                           every frame is echoed as received, delimiter or length header included");
        out.println("  --max-frame BYTES        longest frame content accepted, e.g. 65536 or 64k (default 64k): a line");
        out.println("                           without its \\n, what follows a length header, a record without its delimiter;");
        out.println("                           --max-line is the same option");
        out.println("  --max-connections N      connections open at once, 0 = no limit (default 0)");
        out.println("  --max-buffered BYTES     memory budget for partial frames + queued output, all connections,");
        out.println("                           e.g. 32m (default: half the JVM's direct-memory limit)");
        drainUsage(out, "e.g. 5m, 30s, off (default 5m)");
        out.println("Signals: TERM, INT or HUP start a graceful shutdown; a second one forces it.");
        exitUsage(out);
    }

    @Override
    String[] ownOptions() {
        return new String[] {"max-line", "max-frame", "framing", "max-connections", "max-buffered"};
    }

    @Override
    void readOptions(Options o) throws Options.UsageException {
        if (o.has("max-line") && o.has("max-frame")) {
            throw new Options.UsageException("--max-line and --max-frame are the same option: give one");
        }
        int maxFrame = o.integer(o.has("max-line") ? "max-line" : "max-frame", Framing.DEFAULT_MAX_LINE, 1,
                64 * 1024 * 1024);
        framing = parseFraming(o.string("framing", "line"), maxFrame, o.has("max-line") || o.has("max-frame"));
        maxConnections = o.integer("max-connections", 0, 0, Integer.MAX_VALUE);
        maxBuffered = o.integer("max-buffered", 0, 0, Integer.MAX_VALUE);
    }

    @Override
    void configure(Server.Builder builder, int loops) {
        builder.framing(framing)
                .maxConnections(maxConnections)
                .maxBufferedBytes(maxBuffered)
                .handler(new EchoHandler(framing instanceof LengthFieldFraming
                        ? ((LengthFieldFraming) framing).headerLength() : 0));
    }

    @Override
    String describe(Server server) {
        return ", framing " + describe(framing);
    }

    /**
     * @param spec {@code line}, {@code fixed:N}, {@code length:W} or {@code delimiter:HEX}
     * @param maxFrame the most content bytes of a line, length-field or delimited frame
     * @param maxFrameGiven true when the user gave it (then a length field too narrow for it is
     *     a usage error; the default is lowered to what the field can count)
     */
    static Framing parseFraming(String spec, int maxFrame, boolean maxFrameGiven) throws Options.UsageException {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String arg = colon < 0 ? null : s.substring(colon + 1);
        switch (kind) {
            case "line":
            case "lines":
                if (arg != null) {
                    break;
                }
                return Framing.lines(maxFrame);
            case "fixed":
                return Framing.fixedLength(framingNumber(spec, arg, 1, 64 * 1024 * 1024));
            case "length": {
                int width = framingNumber(spec, arg, 1, 8);
                long largest = width >= 4 ? Integer.MAX_VALUE : (1L << (8 * width)) - 1;
                if (maxFrame > largest) {
                    if (maxFrameGiven) {
                        throw new Options.UsageException("--max-frame " + maxFrame + " with --framing " + spec
                                + ": a " + width + "-byte length counts at most " + largest + " bytes");
                    }
                    maxFrame = (int) largest; // the default limit, lowered to what the field can count
                }
                return Framing.lengthField(width, maxFrame + width);
            }
            case "delimiter":
                if (arg == null) {
                    break;
                }
                return Framing.delimiter(parseHex(spec, arg), maxFrame);
            default:
                break;
        }
        throw new Options.UsageException("--framing must be line, fixed:N, length:W (W = 1..8) or delimiter:HEX: "
                + spec);
    }

    private static int framingNumber(String spec, String arg, int min, int max) throws Options.UsageException {
        try {
            int n = arg == null ? Integer.MIN_VALUE : Integer.parseInt(arg);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Options.UsageException("--framing " + spec + ": the number must be in " + min + ".." + max);
    }

    private static byte[] parseHex(String spec, String hex) throws Options.UsageException {
        String h = hex.startsWith("0x") ? hex.substring(2) : hex;
        if (h.isEmpty() || h.length() % 2 != 0 || h.length() / 2 > io.pollwire.codec.DelimiterFramer.MAX_DELIMITER_LENGTH) {
            throw new Options.UsageException("--framing " + spec + ": the delimiter must be 1.."
                    + io.pollwire.codec.DelimiterFramer.MAX_DELIMITER_LENGTH + " bytes as pairs of hex digits, e.g. 0d0a");
        }
        byte[] bytes = new byte[h.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            int hi = Character.digit(h.charAt(2 * i), 16);
            int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new Options.UsageException("--framing " + spec + ": not hex: " + hex);
            }
            bytes[i] = (byte) (hi << 4 | lo);
        }
        return bytes;
    }

    /**
     * A short description for the start-up line in the units of {@code --max-frame}, e.g.
     * {@code line (max 65536 bytes)} or {@code length:2 (max 1024 bytes after the length, echoed
     * with it)}.
     */
    static String describe(Framing framing) {
        if (framing instanceof LengthFieldFraming) {
            LengthFieldFraming lf = (LengthFieldFraming) framing;
            return "length:" + lf.fieldWidth() + " (max " + (lf.maxFrameLength() - lf.headerLength())
                    + " bytes after the length, echoed with it)";
        }
        String d = framing.toString();
        if (d.startsWith("lines(max ")) {
            return "line (max " + d.substring("lines(max ".length(), d.length() - 1) + " bytes)";
        }
        return d;
    }
}
