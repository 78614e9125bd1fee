package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.device.protocol.DisplayMode;
import io.github.virgl4j.device.protocol.Rect;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * QEMU's answer to the display socket's GET_DISPLAY_INFO: a virtio-gpu
 * {@code virtio_gpu_resp_display_info} (24-byte header of type OK_DISPLAY_INFO, then 16
 * {@code virtio_gpu_display_one}), which sets the size our device reports to the guest.
 *
 * @param modes the 16 scanout entries as QEMU sent them
 */
public record DisplayInfo(List<DisplayMode> modes) {
    /** Wire size of the reply payload. */
    public static final int SIZE = 24 + 16 * DisplayMode.SIZE;
    /** VIRTIO_GPU_RESP_OK_DISPLAY_INFO. */
    public static final int OK_DISPLAY_INFO = 0x1101;

    public DisplayInfo {
        modes = List.copyOf(modes);
    }

    /**
     * Parses a reply payload.
     *
     * @throws IllegalArgumentException when the size or response type is wrong
     */
    public static DisplayInfo parse(ByteBuffer payload) {
        ByteBuffer b = payload.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() != SIZE) {
            throw new IllegalArgumentException("display info of " + b.remaining() + " bytes, want " + SIZE);
        }
        int base = b.position();
        int type = b.getInt(base);
        if (type != OK_DISPLAY_INFO) {
            throw new IllegalArgumentException(String.format("display info response type 0x%x", type));
        }
        List<DisplayMode> modes = new ArrayList<>(16);
        for (int i = 0; i < 16; i++) {
            int at = base + 24 + i * DisplayMode.SIZE;
            modes.add(new DisplayMode(new Rect(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12)),
                    b.getInt(at + 16) != 0, b.getInt(at + 20)));
        }
        return new DisplayInfo(modes);
    }

    /** Encodes as QEMU would send it (tests play QEMU with this). */
    public ByteBuffer encode() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, OK_DISPLAY_INFO);
        for (int i = 0; i < Math.min(16, modes.size()); i++) {
            DisplayMode m = modes.get(i);
            int at = 24 + i * DisplayMode.SIZE;
            b.putInt(at, m.rect().x()).putInt(at + 4, m.rect().y()).putInt(at + 8, m.rect().w())
                    .putInt(at + 12, m.rect().h()).putInt(at + 16, m.enabled() ? 1 : 0).putInt(at + 20, m.flags());
        }
        return b;
    }

    /** One enabled scanout of the given size, the rest empty. */
    public static DisplayInfo single(int width, int height) {
        List<DisplayMode> modes = new ArrayList<>();
        modes.add(new DisplayMode(new Rect(0, 0, width, height), true, 0));
        for (int i = 1; i < 16; i++) {
            modes.add(new DisplayMode(new Rect(0, 0, 0, 0), false, 0));
        }
        return new DisplayInfo(modes);
    }

    /** Number of scanouts: one past the last enabled entry (at least 1). */
    public int scanouts() {
        int n = 1;
        for (int i = 0; i < modes.size(); i++) {
            if (modes.get(i).enabled()) {
                n = i + 1;
            }
        }
        return n;
    }

    /**
     * The preferred size: the first enabled entry whose width and height are within the
     * device's 16..16384, if any.
     */
    public Optional<Rect> preferred() {
        for (DisplayMode m : modes) {
            Rect r = m.rect();
            if (m.enabled() && r.w() >= 16 && r.h() >= 16 && r.w() <= 16384 && r.h() <= 16384) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
