package io.pollwire.codec;

import java.util.function.Supplier;

/**
 * How a server cuts its connections' byte streams into frames: a factory of one {@link Framer}
 * per connection, plus the bound the event loop sizes its buffers by.
 *
 * <pre>{@code
 * Framing.lines()             // '\n'-terminated lines ("\r\n" too), at most 64 KiB each
 * Framing.lines(1024)         // at most 1 KiB of content per line
 * }</pre>
 */
public abstract class Framing {
    /** The default maximum line length: 64 KiB. */
    public static final int DEFAULT_MAX_LINE = 64 * 1024;

    /** For subclasses. */
    protected Framing() {}

    /** @return a new framer, in its initial state, for one connection */
    public abstract Framer newFramer();

    /**
     * The most bytes one frame can occupy in the stream, including its delimiter or header: the
     * event loop guarantees its input buffer holds at least this much.
     *
     * @return a positive bound
     */
    public abstract int maxFrameBytes();

    /**
     * Lines ending in {@code '\n'}, with an optional {@code '\r'} before it; the frame handed
     * to the handler excludes the line ending. At most {@link #DEFAULT_MAX_LINE} bytes.
     *
     * @return the line framing
     */
    public static Framing lines() {
        return lines(DEFAULT_MAX_LINE);
    }

    /**
     * Lines of at most {@code maxLength} bytes of content (the line ending not counted).
     *
     * @param maxLength positive limit; a longer line fails only its own connection
     * @return the line framing
     */
    public static Framing lines(int maxLength) {
        if (maxLength <= 0 || maxLength > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("maxLength must be in 1.." + (Integer.MAX_VALUE - 16)
                    + ": " + maxLength);
        }
        return new Custom(() -> new LineFramer(maxLength), maxLength + 2, "lines(max " + maxLength + ")");
    }

    /**
     * A user-written framing: see {@link Framer} for the contract and an example.
     *
     * @param factory makes one framer per connection
     * @param maxFrameBytes bound on the bytes one frame occupies, delimiter or header included
     * @return the framing
     */
    public static Framing custom(Supplier<? extends Framer> factory, int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        return new Custom(factory, maxFrameBytes, "custom");
    }

    private static final class Custom extends Framing {
        private final Supplier<? extends Framer> factory;
        private final int maxFrameBytes;
        private final String description;

        Custom(Supplier<? extends Framer> factory, int maxFrameBytes, String description) {
            this.factory = factory;
            this.maxFrameBytes = maxFrameBytes;
            this.description = description;
        }

        @Override
        public Framer newFramer() {
            return factory.get();
        }

        @Override
        public int maxFrameBytes() {
            return maxFrameBytes;
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
