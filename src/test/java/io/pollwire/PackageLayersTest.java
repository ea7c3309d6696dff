// SPDX-License-Identifier: Apache-2.0
package io.pollwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering the package-info files promise, checked over the compiled classes: every class
 * file's constant pool (class references, field and method descriptors, generic signatures)
 * names the classes it uses, and each package may only name those of the packages its rule
 * allows. Plain Java, no ArchUnit: what javac wrote is what runs.
 *
 * <p>The direction: cli → API → loop → transport / codec; codec and shutdown know no
 * transport; the transports know nothing above them; observe (logger names, JFR events)
 * knows nothing of pollwire, so every layer that logs may use it.
 */
class PackageLayersTest {
    private static final String ROOT = "io.pollwire";

    /** Package (relative to io.pollwire; "" for the API) → the other packages it may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("", Set.of("codec", "loop", "shutdown", "transport", "transport.loader", "observe")),
            Map.entry("codec", Set.of()),
            Map.entry("loop", Set.of("", "codec", "shutdown", "transport", "observe")),
            Map.entry("shutdown", Set.of("", "loop", "observe")),
            Map.entry("observe", Set.of()),
            Map.entry("cli", Set.of("", "codec", "example.http", "example.proxy", "example.resp",
                    "transport.loader", "observe")),
            Map.entry("example.http", Set.of("", "codec")),
            Map.entry("example.proxy", Set.of("", "codec")),
            Map.entry("example.resp", Set.of("", "codec")),
            Map.entry("transport", Set.of("transport.unix", "transport.loader", "transport.epoll",
                    "transport.kqueue", "transport.nio")),
            Map.entry("transport.unix", Set.of("transport", "transport.loader")),
            Map.entry("transport.loader", Set.of("transport.unix", "observe")),
            Map.entry("transport.epoll", Set.of("transport", "transport.unix", "transport.loader")),
            Map.entry("transport.kqueue", Set.of("transport", "transport.unix", "transport.loader")),
            Map.entry("transport.nio", Set.of("transport")));

    /** Packages that must not touch a JDK I/O mechanism either (NIO channels, selectors). */
    private static final Set<String> NO_CHANNELS = Set.of("codec", "shutdown", "observe");

    private static final Pattern POLLWIRE_CLASS = Pattern.compile("io/pollwire/[\\w/$]+");
    private static final Pattern CHANNELS = Pattern.compile("java/nio/channels/[\\w/$]+");

    private static Path classesDir() throws Exception {
        return Path.of(Server.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void dependenciesPointOneWay() throws Exception {
        Path classes = classesDir();
        List<String> violations = new ArrayList<>();
        Map<String, Integer> classesPerPackage = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
                String name = classes.relativize(f).toString().replace('\\', '/');
                if (name.equals("module-info.class")) {
                    continue;
                }
                String from = layer(packageOf(name.substring(0, name.length() - ".class".length())));
                classesPerPackage.merge(from, 1, Integer::sum);
                violations.addAll(check(name, from, utf8Constants(f)));
            }
        }
        assertTrue(classesPerPackage.keySet().containsAll(ALLOWED.keySet()),
                "every ruled package has classes (a rule for a package that is gone?): " + classesPerPackage);
        assertTrue(violations.isEmpty(), "dependencies against the layering:\n" + String.join("\n", violations));
    }

    @Test
    void moduleExportsOnlyTheApi() throws Exception {
        Path classes = classesDir();
        ModuleDescriptor module = ModuleFinder.of(classes).find(ROOT)
                .orElseThrow(() -> new AssertionError("no module io.pollwire in " + classes))
                .descriptor();
        Set<String> exported = new TreeSet<>();
        for (ModuleDescriptor.Exports e : module.exports()) {
            assertTrue(!e.isQualified(), "qualified export " + e);
            exported.add(e.source());
        }
        assertEquals(Set.of("io.pollwire", "io.pollwire.codec"), exported);
        assertTrue(module.opens().isEmpty(), "opens nothing: " + module.opens());
    }

    @Test
    void everyPackageSaysWhatItIsFor() throws Exception {
        Path sources = Path.of("src/main/java");
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(sources)) {
            for (Path d : dirs.filter(Files::isDirectory).collect(Collectors.toList())) {
                boolean hasJava;
                try (Stream<Path> in = Files.list(d)) {
                    hasJava = in.anyMatch(p -> p.toString().endsWith(".java")
                            && !p.getFileName().toString().equals("module-info.java"));
                }
                if (hasJava && !Files.exists(d.resolve("package-info.java"))) {
                    missing.add(sources.relativize(d).toString());
                }
            }
        }
        assertTrue(missing.isEmpty(), "packages without package-info.java: " + missing);
    }

    private static List<String> check(String classFile, String from, List<String> constants) {
        Set<String> allowed = ALLOWED.get(from);
        List<String> violations = new ArrayList<>();
        if (allowed == null) {
            violations.add(classFile + ": package " + from + " has no rule here (and a package-info?)");
            return violations;
        }
        Set<String> seen = new TreeSet<>();
        for (String c : constants) {
            Matcher m = POLLWIRE_CLASS.matcher(c);
            while (m.find()) {
                String to = layer(packageOf(m.group()));
                if (!to.equals(from) && !allowed.contains(to) && seen.add(m.group())) {
                    violations.add(classFile + " (" + label(from) + ") uses " + m.group() + " (" + label(to) + ")");
                }
            }
            if (NO_CHANNELS.contains(from)) {
                Matcher n = CHANNELS.matcher(c);
                while (n.find()) {
                    if (seen.add(n.group())) {
                        violations.add(classFile + " (" + label(from) + ") uses " + n.group());
                    }
                }
            }
        }
        return violations;
    }

    /** @return the package of a binary class name, dotted: io/pollwire/loop/X → io.pollwire.loop */
    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash).replace('/', '.');
    }

    /** @return the ruled package a package belongs to: itself or its nearest ruled parent */
    private static String layer(String pkg) {
        String rel = pkg.equals(ROOT) ? "" : pkg.startsWith(ROOT + ".") ? pkg.substring(ROOT.length() + 1) : pkg;
        for (String p = rel; !p.isEmpty(); p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "") {
            if (ALLOWED.containsKey(p)) {
                return p;
            }
        }
        return rel;
    }

    private static String label(String layer) {
        return layer.isEmpty() ? "API" : layer;
    }

    /**
     * Reads the CONSTANT_Utf8 entries of a class file (JVMS 4.4): class names, descriptors and
     * signatures are all among them.
     */
    static List<String> utf8Constants(Path classFile) throws IOException {
        List<String> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(classFile)))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file: " + classFile);
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: // Utf8
                        out.add(in.readUTF());
                        break;
                    case 3: // Integer
                    case 4: // Float
                    case 9: // Fieldref
                    case 10: // Methodref
                    case 11: // InterfaceMethodref
                    case 12: // NameAndType
                    case 17: // Dynamic
                    case 18: // InvokeDynamic
                        in.readInt();
                        break;
                    case 5: // Long
                    case 6: // Double
                        in.readLong();
                        i++; // takes two slots
                        break;
                    case 7: // Class
                    case 8: // String
                    case 16: // MethodType
                    case 19: // Module
                    case 20: // Package
                        in.readUnsignedShort();
                        break;
                    case 15: // MethodHandle
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                        break;
                    default:
                        throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
        }
        return out;
    }
}
