package io.livepush.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed EC P-256 certificate and its key made at test time, as the PEM files the server
 * reads. Made with the JDK's own {@code keytool} (a child process), so the tests need nothing the JDK
 * does not have.
 *
 * @param certificate the certificate
 * @param certPem     the certificate as PEM
 * @param keyPem      the private key as unencrypted PKCS#8 PEM
 */
public record TestCertificate(X509Certificate certificate, String certPem, String keyPem) {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final long KEYTOOL_TIMEOUT_S = 60;

    /** {@code CN=localhost} for {@code localhost} and {@code 127.0.0.1}: what the test servers listen on. */
    public static TestCertificate localhost() {
        return forNames("dns:localhost,ip:127.0.0.1");
    }

    /** @param san the subject alternative names as keytool writes them: {@code dns:a.example,ip:127.0.0.1} */
    public static TestCertificate forNames(String san) {
        try {
            Path dir = Files.createTempDirectory("test-cert");
            Path store = dir.resolve("cert.p12");
            try {
                keytool(store, san);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(store)) {
                    ks.load(in, PASSWORD);
                }
                X509Certificate cert = (X509Certificate) ks.getCertificate("tls");
                PrivateKey key = (PrivateKey) ks.getKey("tls", PASSWORD);
                return new TestCertificate(
                        cert, pem("CERTIFICATE", cert.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
            } finally {
                Files.deleteIfExists(store);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the certificate and the key. Each file is replaced in one step (a rename), as a
     * certificate renewal does.
     */
    public void writeTo(Path certFile, Path keyFile) {
        replace(certFile, certPem);
        replace(keyFile, keyPem);
    }

    /** Writes the certificate and the key as {@code server.crt} and {@code server.key} in a new temporary directory. */
    public PemFiles writeToTempDir() {
        try {
            Path dir = Files.createTempDirectory("test-tls");
            PemFiles files = new PemFiles(dir.resolve("server.crt"), dir.resolve("server.key"));
            writeTo(files.cert(), files.key());
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The two files a server is started with ({@code --tls-cert}, {@code --tls-key}), alone in their directory. */
    public record PemFiles(Path cert, Path key) {
        /** Deletes the files and their directory. */
        public void delete() {
            try {
                Files.deleteIfExists(cert);
                Files.deleteIfExists(key);
                Files.deleteIfExists(cert.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A client context that trusts exactly {@code certificates}. */
    public static SSLContext trusting(TestCertificate... certificates) {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            for (int i = 0; i < certificates.length; i++) {
                trust.setCertificateEntry("trusted-" + i, certificates[i].certificate());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void replace(Path file, String content) {
        try {
            Path next = file.resolveSibling(file.getFileName() + ".next");
            Files.writeString(next, content, StandardCharsets.US_ASCII);
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void keytool(Path store, String san) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = List.of(
                keytool.toString(),
                "-genkeypair",
                "-noprompt",
                "-alias",
                "tls",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-sigalg",
                "SHA256withECDSA",
                "-validity",
                "2",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=" + san,
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(KEYTOOL_TIMEOUT_S, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
