package io.livepush.server.bootstrap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of {@code --tls-cert} and {@code --tls-key} and checks that they belong
 * together, so that a wrong file is refused at once, naming its flag, instead of failing every
 * handshake later. Blocking file I/O: never call it on an event loop.
 */
final class TlsFiles {
    static final String CERT_FLAG = "--tls-cert";
    static final String KEY_FLAG = "--tls-key";
    /** A certificate chain or a key is a few KiB: anything far larger is the wrong file. */
    private static final long MAX_FILE_BYTES = 1 << 20;

    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    /** The server's certificate chain (its own certificate first) and the private key of that certificate. */
    record CertifiedKey(PrivateKey key, List<X509Certificate> chain) {
        X509Certificate certificate() {
            return chain.get(0);
        }
    }

    private TlsFiles() {}

    /** @throws StartupException naming the flag of the file that cannot be used, and why */
    static CertifiedKey read(Path certFile, Path keyFile) {
        List<X509Certificate> chain = certificates(certFile, pemBlocks(certFile, CERT_FLAG));
        PrivateKey key =
                privateKey(keyFile, pemBlocks(keyFile, KEY_FLAG), chain.get(0).getPublicKey());
        if (!belongTogether(key, chain.get(0).getPublicKey())) {
            throw new StartupException("the key of " + KEY_FLAG + " " + keyFile + " does not match the certificate of "
                    + CERT_FLAG + " " + certFile);
        }
        return new CertifiedKey(key, List.copyOf(chain));
    }

    private static List<Block> pemBlocks(Path file, String flag) {
        String text;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new StartupException(
                        flag + " " + file + ": not a PEM file (larger than " + MAX_FILE_BYTES + " bytes)");
            }
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new StartupException(flag + " " + file + ": no such file");
        } catch (IOException e) {
            throw new StartupException(flag + " " + file + ": cannot read it ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            try {
                blocks.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2))));
            } catch (IllegalArgumentException e) {
                throw new StartupException(flag + " " + file + ": a " + m.group(1) + " block is not valid base64");
            }
        }
        if (blocks.isEmpty()) {
            throw new StartupException(flag + " " + file + ": not a PEM file (no -----BEGIN ...----- block)");
        }
        return blocks;
    }

    private static List<X509Certificate> certificates(Path file, List<Block> blocks) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            for (Block b : blocks) {
                if (b.type.equals("CERTIFICATE")) {
                    chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new StartupException(
                    CERT_FLAG + " " + file + ": a certificate does not parse (" + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new StartupException(CERT_FLAG + " " + file + ": no CERTIFICATE block (found " + types(blocks) + ")");
        }
        return chain;
    }

    private static PrivateKey privateKey(Path file, List<Block> blocks, PublicKey certKey) {
        Block pkcs8 = blocks.stream()
                .filter(b -> b.type.equals("PRIVATE KEY"))
                .findFirst()
                .orElse(null);
        if (pkcs8 == null) {
            String hint = blocks.stream().anyMatch(b -> b.type.equals("ENCRYPTED PRIVATE KEY"))
                    ? "an encrypted key: decrypt it (openssl pkcs8 -in KEY -out PLAIN)"
                    : blocks.stream().anyMatch(b -> b.type.endsWith(" PRIVATE KEY"))
                            ? "a traditional key: convert it (openssl pkcs8 -topk8 -nocrypt -in KEY -out PLAIN)"
                            : "found " + types(blocks);
            throw new StartupException(
                    KEY_FLAG + " " + file + ": no unencrypted PKCS#8 PRIVATE KEY block (" + hint + ")");
        }
        try {
            return KeyFactory.getInstance(certKey.getAlgorithm()).generatePrivate(new PKCS8EncodedKeySpec(pkcs8.der));
        } catch (GeneralSecurityException e) {
            throw new StartupException(KEY_FLAG + " " + file + ": not a " + certKey.getAlgorithm()
                    + " private key, as the certificate of " + CERT_FLAG + " needs (" + e.getMessage() + ")");
        }
    }

    /** Signs a challenge with the key and verifies it with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, PublicKey certKey) {
        String algorithm = switch (certKey.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "EdDSA", "Ed25519", "Ed448" -> "EdDSA";
            default ->
                throw new StartupException(
                        CERT_FLAG + ": a " + certKey.getAlgorithm() + " key (expected: EC, RSA or EdDSA)");
        };
        byte[] challenge = "livepush tls key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certKey);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key on another curve than the certificate's
        }
    }

    private static List<String> types(List<Block> blocks) {
        return blocks.stream().map(b -> b.type).distinct().toList();
    }

    private record Block(String type, byte[] der) {}
}
