package io.github.virgl4j.transport.vhostuser;

import io.github.virgl4j.transport.vhostuser.DecodeResult.Reason;
import io.github.virgl4j.transport.vhostuser.DecodeResult.Rejected;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Turns one framed vhost-user message (header, payload, received descriptors) into a typed
 * {@link VhostUserMessage} or a {@link Rejected} reason. It never throws: sizes, descriptor
 * counts and flag bits are checked against what each request needs, nothing is allocated from
 * a size before it is checked, and every descriptor the message does not own (surplus ones, or
 * all of them when it is rejected) is handed to the closer.
 */
public final class VhostUserDecoder {
    /** Largest payload any request here may carry; bigger frames end the session. */
    public static final int MAX_PAYLOAD = 4096;
    /** Regions in one SET_MEM_TABLE (VHOST_MEMORY_BASELINE_NREGIONS). */
    public static final int MAX_TABLE_REGIONS = 8;
    /** Largest config space access (VHOST_USER_MAX_CONFIG_SIZE). */
    public static final int MAX_CONFIG = 256;
    /** SET_VRING_KICK/CALL/ERR: the index bits and the "no descriptor" bit of the u64. */
    static final long VRING_INDEX_MASK = 0xff;
    static final long VRING_NOFD = 1 << 8;

    private final IntConsumer closer;

    /** @param closer closes a descriptor the decoded message does not keep */
    public VhostUserDecoder(IntConsumer closer) {
        this.closer = closer;
    }

    /**
     * Decodes a message.
     *
     * @param header  the header as read
     * @param payload exactly {@code header.size()} bytes from its position on (the framing layer
     *                bounded it); any byte order, left untouched
     * @param fds     descriptors received with the message (ownership passes to the result)
     */
    public DecodeResult decode(VhostUserHeader header, ByteBuffer payload, int[] fds) {
        DecodeResult r;
        try {
            // slice(): the fields are read at absolute offsets from the payload's first byte,
            // which is the buffer's position, not necessarily its index 0.
            r = decodeChecked(header, payload.slice().order(ByteOrder.nativeOrder()), fds);
        } catch (RuntimeException e) {
            // A bug here must not leak descriptors or escape as anything but a rejection.
            r = new Rejected(header.request(), Reason.BAD_VALUE, "decoder failure: " + e);
        }
        int[] kept = r instanceof DecodeResult.Ok ok ? ok.message().fds() : new int[0];
        for (int fd : fds) {
            if (!contains(kept, fd)) {
                closer.accept(fd);
            }
        }
        return r;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private DecodeResult decodeChecked(VhostUserHeader h, ByteBuffer p, int[] fds) {
        int code = h.request();
        if (h.version() != VhostUserHeader.VERSION || h.isReply()) {
            return reject(code, Reason.BAD_FLAGS, String.format("flags 0x%x (want version 1, no REPLY bit)", h.flags()));
        }
        VhostUserRequest req = VhostUserRequest.fromCode(code);
        if (req == null) {
            return reject(code, Reason.UNKNOWN_REQUEST, "unknown request " + Integer.toUnsignedString(code));
        }
        int size = p.remaining();
        if (size != h.size()) {
            return reject(code, Reason.BAD_SIZE, "payload has " + size + " bytes, header says " + h.unsignedSize());
        }
        if (req.payloadSize() >= 0 && size != req.payloadSize()) {
            return reject(code, Reason.BAD_SIZE, req + " needs " + req.payloadSize() + " payload bytes, got " + size);
        }
        switch (req) {
            case GET_FEATURES: return ok(new VhostUserMessage.GetFeatures());
            case SET_FEATURES: return ok(new VhostUserMessage.SetFeatures(p.getLong(0)));
            case SET_OWNER: return ok(new VhostUserMessage.SetOwner());
            case RESET_OWNER: return ok(new VhostUserMessage.ResetOwner());
            case GET_PROTOCOL_FEATURES: return ok(new VhostUserMessage.GetProtocolFeatures());
            case SET_PROTOCOL_FEATURES: return ok(new VhostUserMessage.SetProtocolFeatures(p.getLong(0)));
            case GET_QUEUE_NUM: return ok(new VhostUserMessage.GetQueueNum());
            case GET_MAX_MEM_SLOTS: return ok(new VhostUserMessage.GetMaxMemSlots());
            case RESET_DEVICE: return ok(new VhostUserMessage.ResetDevice());
            case SET_MEM_TABLE: return memTable(code, p, fds);
            case ADD_MEM_REG:
                if (fds.length < 1) {
                    return reject(code, Reason.MISSING_FD, "ADD_MEM_REG without a memory descriptor");
                }
                return ok(new VhostUserMessage.AddMemReg(MemoryRegionDescription.read(p, 8), fds[0]));
            case REM_MEM_REG:
                // The spec allows (and says to close) one stray descriptor here.
                return ok(new VhostUserMessage.RemMemReg(MemoryRegionDescription.read(p, 8)));
            case SET_VRING_NUM: return ok(new VhostUserMessage.SetVringNum(p.getInt(0), p.getInt(4)));
            case SET_VRING_BASE: return ok(new VhostUserMessage.SetVringBase(p.getInt(0), p.getInt(4)));
            case GET_VRING_BASE: return ok(new VhostUserMessage.GetVringBase(p.getInt(0)));
            case SET_VRING_ENABLE: {
                int on = p.getInt(4);
                if (on != 0 && on != 1) {
                    return reject(code, Reason.BAD_VALUE, "SET_VRING_ENABLE num must be 0 or 1, got " + on);
                }
                return ok(new VhostUserMessage.SetVringEnable(p.getInt(0), on == 1));
            }
            case SET_VRING_ADDR:
                return ok(new VhostUserMessage.SetVringAddr(new VringAddress(p.getInt(0), p.getInt(4),
                        p.getLong(8), p.getLong(16), p.getLong(24), p.getLong(32))));
            case SET_VRING_KICK:
            case SET_VRING_CALL:
            case SET_VRING_ERR: return vringFd(req, p.getLong(0), fds);
            case SET_BACKEND_REQ_FD:
                if (fds.length < 1) {
                    return reject(code, Reason.MISSING_FD, "SET_BACKEND_REQ_FD without a descriptor");
                }
                return ok(new VhostUserMessage.SetBackendReqFd(fds[0]));
            case GPU_SET_SOCKET:
                if (fds.length < 1) {
                    return reject(code, Reason.MISSING_FD, "GPU_SET_SOCKET without a socket descriptor");
                }
                return ok(new VhostUserMessage.GpuSetSocket(fds[0]));
            case GET_CONFIG:
            case SET_CONFIG: return config(req, p);
            default:
                return reject(code, Reason.UNKNOWN_REQUEST, "no decoder for " + req);
        }
    }

    private static DecodeResult memTable(int code, ByteBuffer p, int[] fds) {
        if (p.remaining() < 8) {
            return reject(code, Reason.BAD_SIZE, "SET_MEM_TABLE payload of " + p.remaining() + " bytes");
        }
        int n = p.getInt(0);
        if (n < 1 || n > MAX_TABLE_REGIONS) {
            return reject(code, Reason.BAD_VALUE, "SET_MEM_TABLE with " + Integer.toUnsignedString(n) + " regions (1.."
                    + MAX_TABLE_REGIONS + ")");
        }
        int need = 8 + n * MemoryRegionDescription.SIZE;
        if (p.remaining() < need || p.remaining() > 8 + MAX_TABLE_REGIONS * MemoryRegionDescription.SIZE) {
            return reject(code, Reason.BAD_SIZE, "SET_MEM_TABLE with " + n + " regions needs " + need
                    + " bytes, got " + p.remaining());
        }
        if (fds.length < n) {
            return reject(code, Reason.MISSING_FD, "SET_MEM_TABLE with " + n + " regions but " + fds.length + " descriptors");
        }
        List<MemoryRegionDescription> regions = new ArrayList<>(n);
        int[] own = new int[n];
        for (int i = 0; i < n; i++) {
            regions.add(MemoryRegionDescription.read(p, 8 + i * MemoryRegionDescription.SIZE));
            own[i] = fds[i];
        }
        return ok(new VhostUserMessage.SetMemTable(regions, own));
    }

    private static DecodeResult vringFd(VhostUserRequest req, long u64, int[] fds) {
        if ((u64 & ~(VRING_INDEX_MASK | VRING_NOFD)) != 0) {
            return reject(req.code(), Reason.BAD_VALUE, String.format("%s payload 0x%x has reserved bits set", req, u64));
        }
        int index = (int) (u64 & VRING_INDEX_MASK);
        if ((u64 & VRING_NOFD) != 0) {
            return ok(new VhostUserMessage.SetVringFd(req, index, -1));
        }
        if (fds.length < 1) {
            return reject(req.code(), Reason.MISSING_FD, req + " for ring " + index + " without a descriptor or the no-fd bit");
        }
        return ok(new VhostUserMessage.SetVringFd(req, index, fds[0]));
    }

    private static DecodeResult config(VhostUserRequest req, ByteBuffer p) {
        if (p.remaining() < 12) {
            return reject(req.code(), Reason.BAD_SIZE, req + " payload of " + p.remaining() + " bytes");
        }
        int offset = p.getInt(0);
        int size = p.getInt(4);
        int flags = p.getInt(8);
        if (size < 0 || size > MAX_CONFIG || offset < 0 || offset > MAX_CONFIG) {
            return reject(req.code(), Reason.BAD_VALUE, req + " offset " + Integer.toUnsignedString(offset)
                    + " size " + Integer.toUnsignedString(size));
        }
        if (p.remaining() != 12 + size) {
            return reject(req.code(), Reason.BAD_SIZE, req + " of " + size + " bytes in a " + p.remaining() + "-byte payload");
        }
        if (req == VhostUserRequest.GET_CONFIG) {
            return ok(new VhostUserMessage.GetConfig(offset, size, flags));
        }
        byte[] data = new byte[size];
        p.get(12, data);
        return ok(new VhostUserMessage.SetConfig(offset, flags, data));
    }

    private static DecodeResult ok(VhostUserMessage m) {
        return new DecodeResult.Ok(m);
    }

    private static DecodeResult reject(int code, Reason reason, String detail) {
        return new Rejected(code, reason, detail);
    }
}
