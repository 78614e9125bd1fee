package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.binding.global.virglrenderer.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A listening Unix socket at a path, as virgl_test_server opens it: a stale socket file left
 * by a dead server is removed first (any other kind of file is left alone and is an error).
 * {@link #close()} wakes a blocked {@link #accept()} and removes the socket file.
 */
public final class VtestListener implements AutoCloseable {
    private final Path path;
    private final int fd;
    private volatile boolean closed;

    private VtestListener(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** Listens at path, replacing a stale socket file. */
    public static VtestListener listen(Path path) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                throw new IOException(path + " exists and is not a socket");
            }
            VtestSocket.check(v4j_unlink(path.toString()), "unlink " + path);
        }
        int fd = v4j_unix_listen(path.toString(), 16);
        VtestSocket.check(fd, "listen on " + path);
        return new VtestListener(path, fd);
    }

    public Path path() {
        return path;
    }

    /** Blocks for the next client; throws once the listener is closed. */
    public VtestSocket accept() throws IOException {
        int client = v4j_accept(fd);
        if (closed) {
            if (client >= 0) {
                v4j_close(client);
            }
            throw new IOException("listener closed");
        }
        VtestSocket.check(client, "accept");
        return new VtestSocket(client);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        v4j_shutdown(fd);
        v4j_close(fd);
        v4j_unlink(path.toString());
    }
}
