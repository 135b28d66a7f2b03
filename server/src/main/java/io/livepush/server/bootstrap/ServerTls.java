package io.livepush.server.bootstrap;

import static java.util.Objects.requireNonNull;

import io.livepush.server.config.ServerConfig;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS of the client ports (TCP and WebSocket; the admin port stays plain): the {@link SslContext} that
 * new connections get, kept in step with the PEM files. Certificates are renewed in place (ACME clients,
 * mounted secrets), so a thread of its own — never an event loop: it reads files — looks at the files'
 * modification time, size and identity every {@link #CHECK_INTERVAL} and reads them again when they
 * changed. New connections get the new certificate; open ones keep the one they shook hands with.
 * Files that cannot be used (half written, a key that does not match) leave the previous context in
 * place with one WARN line, until they change again.
 */
final class ServerTls implements AutoCloseable {
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final Path certFile;
    private final Path keyFile;
    private final TlsContexts contexts;
    private final long handshakeTimeoutMs;
    /** Per server, as its refusal lines are rate-limited per server. */
    private final TlsFailureHandler failures = new TlsFailureHandler();

    private volatile SslContext current;
    /** The files as last read, successfully or not. Checker thread only (after the start). */
    private Stamp seen;

    private ScheduledExecutorService checker;

    private ServerTls(Path certFile, Path keyFile, TlsContexts contexts, long handshakeTimeoutMs) {
        this.certFile = certFile;
        this.keyFile = keyFile;
        this.contexts = contexts;
        this.handshakeTimeoutMs = handshakeTimeoutMs;
        this.seen = Stamp.of(certFile, keyFile); // before reading: a change while reading is seen at the next check
        TlsFiles.CertifiedKey files = TlsFiles.read(certFile, keyFile);
        this.current = contexts.build(files);
        log.info(
                "TLS on the tcp and ws ports (the admin port stays plain): provider {}, protocols {}, {}",
                contexts.describe(),
                String.join("/", TlsContexts.PROTOCOLS),
                describe(files));
    }

    /**
     * The TLS of {@code config}, or null when it has neither {@code --tls-cert} nor {@code --tls-key}.
     *
     * @throws StartupException when only one is given, or the files cannot be used
     */
    static ServerTls load(ServerConfig config, TlsContexts contexts) {
        requireNonNull(config, "config");
        if (config.tlsCert() == null && config.tlsKey() == null) {
            return null;
        }
        if (config.tlsCert() == null || config.tlsKey() == null) {
            String given = config.tlsCert() == null ? TlsFiles.KEY_FLAG : TlsFiles.CERT_FLAG;
            String missing = config.tlsCert() == null ? TlsFiles.CERT_FLAG : TlsFiles.KEY_FLAG;
            throw new StartupException(
                    given + " without " + missing + ": TLS needs both (or neither, for plain TCP and WebSocket)");
        }
        return new ServerTls(config.tlsCert(), config.tlsKey(), contexts, config.handshakeTimeoutMs());
    }

    /**
     * Adds TLS with the current certificate to a new connection: first in its pipeline, so that every
     * handler after it sees plain bytes, and the handler of failed handshakes right after it.
     */
    void addHandlers(Channel ch, String tlsName, String failuresName) {
        SslHandler handler = current.newHandler(ch.alloc());
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMs);
        ch.pipeline().addLast(tlsName, handler);
        ch.pipeline().addLast(failuresName, failures);
    }

    /** Starts looking for new files; once, after the ports listen. */
    synchronized void startWatching() {
        if (checker == null) {
            // A plain thread, not Netty's FastThreadLocalThread: it reads files and waits, and Netty's
            // BlockHound integration takes every FastThreadLocalThread for a non-blocking event loop.
            checker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "push-tls-reload");
                t.setDaemon(true);
                return t;
            });
            checker.scheduleWithFixedDelay(
                    this::check, CHECK_INTERVAL.toMillis(), CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Reads the files again if they changed since they were last read. */
    private void check() {
        Stamp now = Stamp.of(certFile, keyFile);
        if (now.equals(seen)) {
            return;
        }
        seen = now;
        try {
            TlsFiles.CertifiedKey files = TlsFiles.read(certFile, keyFile);
            current = contexts.build(files);
            log.info("TLS files changed: new connections get {}", describe(files));
        } catch (StartupException e) {
            log.warn(
                    "TLS files changed but cannot be used, new connections keep the previous certificate: {}",
                    e.getMessage());
        } catch (RuntimeException e) {
            log.warn("TLS files changed but reading them failed, new connections keep the previous certificate", e);
        }
    }

    @Override
    public synchronized void close() {
        if (checker != null) {
            checker.shutdownNow();
        }
    }

    private static String describe(TlsFiles.CertifiedKey files) {
        return "certificate " + files.certificate().getSubjectX500Principal().getName() + " (serial "
                + files.certificate().getSerialNumber().toString(16) + ", valid until "
                + files.certificate().getNotAfter().toInstant() + ")";
    }

    /** What the files look like on disk: a rename over them or a rewrite in place changes it. */
    private record Stamp(FileState cert, FileState key) {
        static Stamp of(Path cert, Path key) {
            return new Stamp(FileState.of(cert), FileState.of(key));
        }
    }

    /** Follows symbolic links: a mounted secret swaps the link's target. All null for a file that cannot be read. */
    private record FileState(FileTime modified, long size, Object identity) {
        static FileState of(Path file) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileState(a.lastModifiedTime(), a.size(), a.fileKey());
            } catch (IOException e) {
                return new FileState(null, -1, null);
            }
        }
    }
}
