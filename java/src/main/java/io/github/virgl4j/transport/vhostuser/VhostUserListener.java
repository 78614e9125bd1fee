package io.github.virgl4j.transport.vhostuser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Gets the vhost-user connection the way QEMU's back ends do (vhost-user.rst, "Backend program
 * conventions"): listen on {@code --socket-path} and accept exactly one front end, or take an
 * inherited descriptor ({@code --fd}).
 */
public final class VhostUserListener {
    private VhostUserListener() {
    }

    /**
     * Listens on {@code path} (replacing a stale socket file there, never any other file),
     * calls {@code listening} once the socket accepts connections, and returns the first
     * connection; the listening socket is closed and its path removed.
     *
     * @throws IOException when the path cannot be used or accept fails
     */
    public static int acceptOne(Path path, Runnable listening) throws IOException {
        Native.ensureAvailable();
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (!a.isOther()) {
                throw new IOException(path + " exists and is not a socket; refusing to replace it");
            }
            Files.delete(path);
        }
        int lfd = Native.unixListen(path.toString());
        if (lfd < 0) {
            throw new IOException("cannot listen on " + path + ": errno " + -lfd);
        }
        try {
            listening.run();
            int fd = Native.accept(lfd);
            if (fd < 0) {
                throw new IOException("accept on " + path + " failed: errno " + -fd);
            }
            return fd;
        } finally {
            Native.close(lfd);
            Native.unlink(path.toString());
        }
    }

    /**
     * Checks that an inherited descriptor ({@code --fd=N}) is open.
     *
     * @throws IOException when it is not
     */
    public static int inherited(int fd) throws IOException {
        Native.ensureAvailable();
        if (fd < 0 || !Native.isOpen(fd)) {
            throw new IOException("--fd=" + fd + " is not an open descriptor");
        }
        return fd;
    }
}
