package io.picket.analyzer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Zeek's {@code likely_server_ports}: the ports that make the TCP and UDP analyzers flip
 * originator and responder when a connection is first seen from the server side
 * ({@code TCP.cc WantConnection}, {@code UDP.cc}; see FIELDS.md §3).
 *
 * <p>Zeek fills the set from every loaded analyzer's {@code Analyzer::register_for_ports} (and
 * {@code PacketAnalyzer::register_for_ports}) server ports, so its content depends on the
 * analyzers loaded. The table of (analyzer, proto, port, role) comes from Zeek's scripts and is
 * bundled as {@code zeek-server-ports.tsv} next to this class; {@link #zeekDefault()} is the set
 * Zeek builds with its default scripts. Note that POP3 registers no port (110/tcp is not a
 * likely server port in Zeek), while IMAP (143/tcp) does.
 *
 * <p>Immutable and safe to share between shard threads; {@link #isTcp}/{@link #isUdp} read a
 * 65536-bit set and allocate nothing.
 */
public final class LikelyServerPorts {

    private static final String RESOURCE = "zeek-server-ports.tsv";
    private static final int WORDS = 65536 / 64;

    private static final LikelyServerPorts NONE = new LikelyServerPorts(new long[WORDS], new long[WORDS]);

    private final long[] tcp;
    private final long[] udp;

    private LikelyServerPorts(long[] tcp, long[] udp) {
        this.tcp = tcp;
        this.udp = udp;
    }

    /** One row of the bundled table. */
    private record Row(String analyzer, boolean isTcp, int port, boolean server) {
    }

    /** Loaded once on first use. */
    private static final class Table {
        static final List<Row> ROWS = load();
        static final Set<String> NAMES = names(ROWS);
        static final LikelyServerPorts ALL = build(ROWS, NAMES);
    }

    /** The set Zeek builds with its default scripts (every analyzer in the bundled table). */
    public static LikelyServerPorts zeekDefault() {
        return Table.ALL;
    }

    /** The empty set: no connection is flipped at creation for its ports. */
    public static LikelyServerPorts none() {
        return NONE;
    }

    /**
     * The server ports registered by the named analyzers, as when only their scripts are loaded
     * ({@code zeek -b} with those scripts). Names are case-insensitive.
     *
     * @throws IllegalArgumentException if a name is not in {@link #knownAnalyzers()}
     */
    public static LikelyServerPorts forAnalyzers(Set<String> analyzerNames) {
        Set<String> wanted = new TreeSet<>();
        List<String> unknown = new ArrayList<>();
        for (String name : analyzerNames) {
            String n = name.toLowerCase(Locale.ROOT);
            if (Table.NAMES.contains(n)) {
                wanted.add(n);
            } else if (!PORTLESS.contains(n)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown analyzer(s) " + unknown + "; known: " + Table.NAMES);
        }
        return build(Table.ROWS, wanted);
    }

    /**
     * Zeek analyzers that are found by payload (DPD signatures) or ride on other analyzers and
     * register no port, so they add nothing to the likely server ports.
     */
    public static final Set<String> PORTLESS = Set.of("pop3", "ntlm", "gssapi", "x509", "websocket", "irc_dcc",
            "ftp_data", "file", "files", "conn", "tunnels", "smb1", "smb2", "bittorrent", "ident", "login", "rlogin",
            "rsh", "telnet", "nfs", "portmapper", "mount", "ncp", "netbios", "zip", "ocsp", "pe");

    /** Analyzer names of the bundled table, lower case (e.g. http, dns, ssl, dtls, krb_tcp). */
    public static Set<String> knownAnalyzers() {
        return Table.NAMES;
    }

    /** True if {@code port}/tcp is a likely server port; false for ports outside 0..65535. */
    public boolean isTcp(int port) {
        return (port & ~0xFFFF) == 0 && (tcp[port >>> 6] & (1L << port)) != 0;
    }

    /** True if {@code port}/udp is a likely server port; false for ports outside 0..65535. */
    public boolean isUdp(int port) {
        return (port & ~0xFFFF) == 0 && (udp[port >>> 6] & (1L << port)) != 0;
    }

    /**
     * True if {@code port} is a likely server port for IP protocol {@code ipProto} (6 = TCP,
     * 17 = UDP); false for every other protocol, as in Zeek.
     */
    public boolean contains(int ipProto, int port) {
        return switch (ipProto) {
            case 6 -> isTcp(port);
            case 17 -> isUdp(port);
            default -> false;
        };
    }

    /** This set plus {@code port}/tcp (as {@code redef likely_server_ports += { port/tcp }}). */
    public LikelyServerPorts withTcp(int port) {
        checkPort(port);
        long[] t = tcp.clone();
        t[port >>> 6] |= 1L << port;
        return new LikelyServerPorts(t, udp);
    }

    /** This set plus {@code port}/udp. */
    public LikelyServerPorts withUdp(int port) {
        checkPort(port);
        long[] u = udp.clone();
        u[port >>> 6] |= 1L << port;
        return new LikelyServerPorts(tcp, u);
    }

    /** Sorted TCP ports of the set. */
    public List<Integer> tcpPorts() {
        return ports(tcp);
    }

    /** Sorted UDP ports of the set. */
    public List<Integer> udpPorts() {
        return ports(udp);
    }

    @Override
    public String toString() {
        return "LikelyServerPorts[tcp=" + tcpPorts() + ", udp=" + udpPorts() + "]";
    }

    private static List<Integer> ports(long[] bits) {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < 65536; p++) {
            if ((bits[p >>> 6] & (1L << p)) != 0) {
                out.add(p);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static void checkPort(int port) {
        if ((port & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("port " + port + " out of range 0..65535");
        }
    }

    private static LikelyServerPorts build(List<Row> rows, Set<String> analyzers) {
        long[] t = new long[WORDS];
        long[] u = new long[WORDS];
        for (Row r : rows) {
            if (r.server() && analyzers.contains(r.analyzer())) {
                long[] bits = r.isTcp() ? t : u;
                bits[r.port() >>> 6] |= 1L << r.port();
            }
        }
        return new LikelyServerPorts(t, u);
    }

    private static Set<String> names(List<Row> rows) {
        TreeSet<String> names = new TreeSet<>();
        for (Row r : rows) {
            names.add(r.analyzer());
        }
        return Collections.unmodifiableSet(names);
    }

    /** Reads the bundled table; a malformed table is a packaging bug and fails loudly. */
    private static List<Row> load() {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = LikelyServerPorts.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " missing next to " + LikelyServerPorts.class.getName());
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 4 || !f[0].matches("[a-z0-9_]+") || !f[1].matches("tcp|udp")
                        || !f[2].matches("[0-9]{1,5}") || Integer.parseInt(f[2]) > 65535
                        || !f[3].matches("server|client")) {
                    throw new IllegalStateException(RESOURCE + ":" + lineNo + ": malformed row '" + line + "'");
                }
                rows.add(new Row(f[0], f[1].equals("tcp"), Integer.parseInt(f[2]), f[3].equals("server")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        return List.copyOf(rows);
    }
}
