package io.picket.analyzer.ssl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Development aid: prints ssl/x509 rows for stream files given as -Ddump.dir. */
public final class DevDump {
    public static void main(String[] args) throws Exception {
        SslAnalyzerProvider p = new SslAnalyzerProvider(SslOptions.defaults().withFingerprints(args.length > 1, args.length > 1));
        try (Stream<Path> files = Files.list(Path.of(args[0])).sorted()) {
            for (Path f : files.toList()) {
                TcpStream s = TcpStream.loadFile(f);
                FakeContext ctx = s.run(p, "C" + f.getFileName());
                for (String r : ctx.rows("ssl")) {
                    System.out.println("ssl\t" + f.getFileName() + "\t" + r);
                }
                for (String r : ctx.rows("x509")) {
                    System.out.println("x509\t" + f.getFileName() + "\t" + r);
                }
                for (String w : ctx.weirdTexts()) {
                    System.out.println("weird\t" + f.getFileName() + "\t" + w);
                }
                for (String v : ctx.violations) {
                    System.out.println("violation\t" + f.getFileName() + "\t" + v);
                }
            }
        }
    }
}
