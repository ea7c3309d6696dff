// SPDX-License-Identifier: Apache-2.0
package io.pollwire.example.resp;

import java.nio.ByteBuffer;

/**
 * Splits an inline command ({@code SET k "a b"} typed in {@code nc} or {@code telnet}) into
 * arguments the way Redis's {@code sdssplitargs} (sds.c) does: words separated by blanks;
 * {@code "..."} with the escapes {@code \n \r \t \b \a \xHH} and {@code \<any>}; {@code '...'}
 * with only {@code \'}; a closing quote must be followed by a blank or the end; a quote inside
 * a word starts quoting there ({@code a"b c"} is one argument, {@code ab c}). A NUL byte ends
 * the line, as it ends the C string Redis splits.
 */
final class InlineCommand {
    private InlineCommand() {}

    /**
     * Splits {@code buf[start, end)}, or only checks it when {@code into} is null.
     *
     * @param into receives the arguments, unescaped into its scratch buffer; or null
     * @return the number of arguments, or -1 when quotes are unbalanced (Redis's
     *     {@code Protocol error: unbalanced quotes in request})
     */
    static int split(ByteBuffer buf, int start, int end, RespArgs into) {
        if (into != null) {
            into.beginInline(end - start);
        }
        int argc = 0;
        int p = start;
        while (true) {
            while (p < end && isSpace(buf.get(p))) {
                p++;
            }
            if (p == end || buf.get(p) == 0) {
                return argc;
            }
            if (into != null) {
                into.beginInlineArg();
            }
            int quote = 0; // '"' or '\'' inside quotes
            while (true) {
                int c = p < end ? buf.get(p) & 0xFF : 0;
                int n1 = p + 1 < end ? buf.get(p + 1) & 0xFF : 0;
                if (quote != 0) {
                    if (c == 0) {
                        return -1; // unterminated
                    } else if (quote == '"' && c == '\\' && n1 == 'x' && p + 3 < end && hex(buf.get(p + 2)) >= 0
                            && hex(buf.get(p + 3)) >= 0) {
                        append(into, hex(buf.get(p + 2)) * 16 + hex(buf.get(p + 3)));
                        p += 3;
                    } else if (quote == '"' && c == '\\' && n1 != 0) {
                        p++;
                        append(into, n1 == 'n' ? '\n' : n1 == 'r' ? '\r' : n1 == 't' ? '\t'
                                : n1 == 'b' ? '\b' : n1 == 'a' ? 7 : n1);
                    } else if (quote == '\'' && c == '\\' && n1 == '\'') {
                        p++;
                        append(into, '\'');
                    } else if (c == quote) {
                        if (n1 != 0 && !isSpace((byte) n1)) {
                            return -1; // a closing quote must be followed by a blank or the end
                        }
                        p++;
                        break;
                    } else {
                        append(into, c);
                    }
                } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                    if (c != 0) {
                        p++;
                    }
                    break;
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else {
                    append(into, c);
                }
                p++;
            }
            argc++;
            if (into != null) {
                into.endInlineArg();
            }
        }
    }

    private static void append(RespArgs into, int b) {
        if (into != null) {
            into.appendInline((byte) b);
        }
    }

    /** C's isspace in the "C" locale. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = b | 0x20;
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }
}
