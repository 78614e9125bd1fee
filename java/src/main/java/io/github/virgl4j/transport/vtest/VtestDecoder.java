package io.github.virgl4j.transport.vtest;

import static io.github.virgl4j.transport.vtest.VtestProtocol.*;
import static io.github.virgl4j.transport.vtest.VtestProtocolException.Kind.*;

import io.github.virgl4j.transport.vtest.VtestRequest.*;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads vtest frames from a client and returns them as {@link VtestRequest}s.
 *
 * <p>Enforces what virgl_test_server enforces (CREATE_RENDERER first and only once, known ids)
 * and more: every length field must match the command (fixed commands exactly; the
 * documented exceptions as Mesa sends them), commands newer than the negotiated version are
 * rejected, and every guest-supplied size is checked against {@link VtestLimits} before
 * anything is allocated. Buffers grow only as bytes actually arrive, so a lying length costs
 * at most what the client really sent.
 *
 * <p>The server sets the negotiated version with {@link #setProtocolVersion(int)} after it has
 * answered PROTOCOL_VERSION. Not thread-safe, except that the version may be set from another
 * thread.
 */
public final class VtestDecoder {
    private static final int CHUNK = 64 * 1024;

    private final VtestInput in;
    private final VtestLimits limits;
    private final byte[] header = new byte[HEADER_BYTES];
    private volatile int protocolVersion = VERSION_0;
    private boolean rendererCreated;

    public VtestDecoder(VtestInput in, VtestLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    public VtestDecoder(VtestInput in) {
        this(in, VtestLimits.DEFAULT);
    }

    /** The version negotiated so far (0 until PROTOCOL_VERSION was answered). */
    public int protocolVersion() {
        return protocolVersion;
    }

    /** Records the version the server answered; later frames are checked against it. */
    public void setProtocolVersion(int version) {
        if (version < VERSION_0 || version > MAX_VERSION) {
            throw new IllegalArgumentException("protocol version " + version);
        }
        protocolVersion = version;
    }

    /**
     * The next frame, or empty when the client closed the connection between frames.
     *
     * @throws VtestProtocolException the client broke the protocol; drop the connection
     * @throws IOException            the input failed
     */
    public Optional<VtestRequest> next() throws IOException, VtestProtocolException {
        in.require(HEADER_BYTES);
        int got = readSome(header, 0, HEADER_BYTES);
        if (got == 0) {
            return Optional.empty();
        }
        if (got < HEADER_BYTES) {
            throw new VtestProtocolException(TRUNCATED, 0, "stream ended inside a header");
        }
        long length = u32(header, 0);
        int rawId = (int) u32(header, 4);
        VtestCommandId cmd = VtestCommandId.fromId(rawId);
        if (cmd == null) {
            throw new VtestProtocolException(UNKNOWN_COMMAND, rawId, "unknown command id");
        }
        if (!rendererCreated && cmd != VtestCommandId.CREATE_RENDERER) {
            throw new VtestProtocolException(RENDERER_NOT_CREATED, rawId,
                    "the first command must be CREATE_RENDERER");
        }
        if (rendererCreated && cmd == VtestCommandId.CREATE_RENDERER) {
            throw new VtestProtocolException(UNEXPECTED_COMMAND, rawId, "second CREATE_RENDERER");
        }
        if (cmd.sinceVersion() > protocolVersion) {
            throw new VtestProtocolException(NOT_IN_PROTOCOL_VERSION, rawId, cmd + " needs version "
                    + cmd.sinceVersion() + ", negotiated " + protocolVersion);
        }
        VtestRequest request = decode(cmd, length);
        if (cmd == VtestCommandId.CREATE_RENDERER) {
            rendererCreated = true;
        }
        return Optional.of(request);
    }

    private VtestRequest decode(VtestCommandId cmd, long length)
            throws IOException, VtestProtocolException {
        switch (cmd) {
            case CREATE_RENDERER: {
                if (length > limits.maxNameBytes()) {
                    throw tooLarge(cmd, "name of " + length + " bytes");
                }
                byte[] name = readBytes(cmd, (int) length);
                int end = 0;
                while (end < name.length && name[end] != 0) {
                    end++;
                }
                return new CreateRenderer(new String(name, 0, end, StandardCharsets.UTF_8));
            }
            case PING_PROTOCOL_VERSION:
                fixed(cmd, length, 0);
                return new PingProtocolVersion();
            case PROTOCOL_VERSION:
                return new ProtocolVersion(Integer.toUnsignedLong(fixed(cmd, length, PROTOCOL_VERSION_DWORDS)[0]));
            case GET_CAPS:
                fixed(cmd, length, 0);
                return new GetCaps();
            case GET_CAPS2:
                fixed(cmd, length, 0);
                return new GetCaps2();
            case RESOURCE_CREATE: {
                int[] d = fixed(cmd, length, RESOURCE_CREATE_DWORDS);
                return new ResourceCreate(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9]);
            }
            case RESOURCE_CREATE2: {
                int[] d = fixed(cmd, length, RESOURCE_CREATE2_DWORDS);
                long size = Integer.toUnsignedLong(d[10]);
                if (size > limits.maxResourceBytes()) {
                    throw tooLarge(cmd, "shm of " + size + " bytes");
                }
                return new ResourceCreate2(d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], size);
            }
            case RESOURCE_UNREF:
                return new ResourceUnref(fixed(cmd, length, RESOURCE_UNREF_DWORDS)[0]);
            case TRANSFER_GET: {
                int[] d = fixed(cmd, length, TRANSFER_DWORDS);
                long size = Integer.toUnsignedLong(d[10]);
                if (size > limits.maxTransferBytes()) {
                    throw tooLarge(cmd, "transfer of " + size + " bytes");
                }
                return new TransferGet(d[0], d[1], d[2], d[3], box(d, 4), size);
            }
            case TRANSFER_PUT:
                return transferPut(cmd, length);
            case TRANSFER_GET2: {
                int[] d = fixed(cmd, length, TRANSFER2_DWORDS);
                return new TransferGet2(d[0], d[1], box(d, 2), Integer.toUnsignedLong(d[8]),
                        Integer.toUnsignedLong(d[9]));
            }
            case TRANSFER_PUT2:
                return transferPut2(cmd, length);
            case SUBMIT_CMD: {
                if (length * 4 > limits.maxCommandBytes()) {
                    throw tooLarge(cmd, length + " dwords");
                }
                return new SubmitCmd(ByteBuffer.wrap(readBytes(cmd, (int) length * 4)));
            }
            case RESOURCE_BUSY_WAIT: {
                int[] d = fixed(cmd, length, BUSY_WAIT_DWORDS);
                return new ResourceBusyWait(d[0], d[1]);
            }
            case GET_PARAM:
                return new GetParam(fixed(cmd, length, GET_PARAM_DWORDS)[0]);
            case GET_CAPSET: {
                int[] d = fixed(cmd, length, GET_CAPSET_DWORDS);
                return new GetCapset(d[0], d[1]);
            }
            case CONTEXT_INIT:
                return new ContextInit(fixed(cmd, length, CONTEXT_INIT_DWORDS)[0]);
            case RESOURCE_CREATE_BLOB: {
                int[] d = fixed(cmd, length, RESOURCE_CREATE_BLOB_DWORDS);
                long size = u64(d[2], d[3]);
                if (Long.compareUnsigned(size, limits.maxResourceBytes()) > 0) {
                    throw tooLarge(cmd, "blob of " + Long.toUnsignedString(size) + " bytes");
                }
                return new ResourceCreateBlob(d[0], d[1], size, u64(d[4], d[5]));
            }
            case SYNC_CREATE: {
                int[] d = fixed(cmd, length, SYNC_CREATE_DWORDS);
                return new SyncCreate(u64(d[0], d[1]));
            }
            case SYNC_UNREF:
                return new SyncUnref(fixed(cmd, length, SYNC_UNREF_DWORDS)[0]);
            case SYNC_READ:
                return new SyncRead(fixed(cmd, length, SYNC_READ_DWORDS)[0]);
            case SYNC_WRITE: {
                int[] d = fixed(cmd, length, SYNC_WRITE_DWORDS);
                return new SyncWrite(d[0], u64(d[1], d[2]));
            }
            case SYNC_WAIT:
                return syncWait(cmd, length);
            case SUBMIT_CMD2:
                return submitCmd2(cmd, length);
            default:
                throw new AssertionError(cmd);
        }
    }

    /*
     * TRANSFER_PUT: the length counts the 11 header dwords plus the data rounded up to dwords,
     * but only data_size bytes follow (Mesa writes them unpadded; virgl_test_server reads
     * exactly data_size). Reading length*4 bytes would swallow the next frame's first bytes.
     */
    private VtestRequest transferPut(VtestCommandId cmd, long length)
            throws IOException, VtestProtocolException {
        if (length < TRANSFER_DWORDS) {
            throw badLength(cmd, length, "at least " + TRANSFER_DWORDS);
        }
        int[] d = dwords(cmd, TRANSFER_DWORDS);
        long size = Integer.toUnsignedLong(d[10]);
        long expected = TRANSFER_DWORDS + (size + 3) / 4;
        if (length != expected) {
            throw badLength(cmd, length, expected + " for " + size + " data bytes");
        }
        if (size > limits.maxTransferBytes()) {
            throw tooLarge(cmd, "transfer of " + size + " bytes");
        }
        byte[] data = readBytes(cmd, (int) size);
        return new TransferPut(d[0], d[1], d[2], d[3], box(d, 4), data);
    }

    /*
     * TRANSFER_PUT2: Mesa counts the data in the length (10 + ceil(size/4)) although the data
     * is in the shm and nothing follows; a plain 10 is accepted as well.
     */
    private VtestRequest transferPut2(VtestCommandId cmd, long length)
            throws IOException, VtestProtocolException {
        if (length < TRANSFER2_DWORDS) {
            throw badLength(cmd, length, "at least " + TRANSFER2_DWORDS);
        }
        int[] d = dwords(cmd, TRANSFER2_DWORDS);
        long size = Integer.toUnsignedLong(d[8]);
        long withData = TRANSFER2_DWORDS + (size + 3) / 4;
        if (length != TRANSFER2_DWORDS && length != withData) {
            throw badLength(cmd, length, TRANSFER2_DWORDS + " or " + withData);
        }
        return new TransferPut2(d[0], d[1], box(d, 2), size, Integer.toUnsignedLong(d[9]));
    }

    private VtestRequest syncWait(VtestCommandId cmd, long length)
            throws IOException, VtestProtocolException {
        if (length < SYNC_WAIT_FIXED_DWORDS || (length - SYNC_WAIT_FIXED_DWORDS) % SYNC_POINT_DWORDS != 0) {
            throw badLength(cmd, length, "2 + 3 per sync");
        }
        if (length * 4 > limits.maxCommandBytes()) {
            throw tooLarge(cmd, length + " dwords");
        }
        int[] d = dwords(cmd, (int) length);
        int count = (d.length - SYNC_WAIT_FIXED_DWORDS) / SYNC_POINT_DWORDS;
        return new SyncWait(d[0], Integer.toUnsignedLong(d[1]),
                syncPoints(d, SYNC_WAIT_FIXED_DWORDS, count));
    }

    /*
     * SUBMIT_CMD2: [batch_count] then 8 dwords per batch (flags, cmd_offset, cmd_size,
     * sync_offset, sync_count, ring_idx, two syncobj counts used from version 4); offsets are
     * dword indices into the whole payload. Together the batches name at most the dwords
     * after the headers.
     */
    private VtestRequest submitCmd2(VtestCommandId cmd, long length)
            throws IOException, VtestProtocolException {
        if (length < 1) {
            throw badLength(cmd, length, "at least 1");
        }
        if (length * 4 > limits.maxCommandBytes()) {
            throw tooLarge(cmd, length + " dwords");
        }
        int[] d = dwords(cmd, (int) length);
        long count = Integer.toUnsignedLong(d[0]);
        if (count > 0 && 1 + SUBMIT_CMD2_BATCH_DWORDS * (count - 1) + 6 > length) {
            throw badLength(cmd, length, "too short for " + count + " batches");
        }
        // Batches are copied out: if they could share dwords, a payload of n dwords could make
        // us copy about n*n/8 (n/8 batches each naming the whole payload). Mesa lays them out
        // one after the other (commands, then syncs), so together they fit after the headers.
        long room = length - Math.min(length, 1 + SUBMIT_CMD2_BATCH_DWORDS * count);
        long referenced = 0;
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = 1 + SUBMIT_CMD2_BATCH_DWORDS * i;
            long cmdOffset = Integer.toUnsignedLong(d[at + 1]);
            long cmdSize = Integer.toUnsignedLong(d[at + 2]);
            long syncOffset = Integer.toUnsignedLong(d[at + 3]);
            long syncCount = Integer.toUnsignedLong(d[at + 4]);
            long ringIdx = Integer.toUnsignedLong(d[at + 5]);
            if (cmdOffset + cmdSize > length || syncOffset + SYNC_POINT_DWORDS * syncCount > length
                    || ringIdx >= MAX_TIMELINE_COUNT) {
                throw new VtestProtocolException(BAD_FIELD, cmd.id(),
                        "batch " + i + " points outside the payload or ring_idx " + ringIdx);
            }
            referenced += cmdSize + SYNC_POINT_DWORDS * syncCount;
            if (referenced > room) {
                throw new VtestProtocolException(BAD_FIELD, cmd.id(), "batches 0.." + i + " name " + referenced
                        + " dwords; " + room + " follow the batch headers (batches may not share dwords)");
            }
            int[] commands = Arrays.copyOfRange(d, (int) cmdOffset, (int) (cmdOffset + cmdSize));
            batches.add(new Batch(d[at], commands, syncPoints(d, (int) syncOffset, (int) syncCount),
                    (int) ringIdx));
        }
        return new SubmitCmd2(batches);
    }

    private static List<SyncPoint> syncPoints(int[] d, int from, int count) {
        List<SyncPoint> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = from + SYNC_POINT_DWORDS * i;
            points.add(new SyncPoint(d[at], u64(d[at + 1], d[at + 2])));
        }
        return points;
    }

    private int[] fixed(VtestCommandId cmd, long length, int dwords)
            throws IOException, VtestProtocolException {
        if (length != dwords) {
            throw badLength(cmd, length, Integer.toString(dwords));
        }
        return dwords(cmd, dwords);
    }

    private int[] dwords(VtestCommandId cmd, int count) throws IOException, VtestProtocolException {
        byte[] bytes = readBytes(cmd, count * 4);
        int[] out = new int[count];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** Reads exactly n (already capped) bytes, growing the buffer only as data arrives. */
    private byte[] readBytes(VtestCommandId cmd, int n) throws IOException, VtestProtocolException {
        in.require(n);
        byte[] buf = new byte[Math.min(n, CHUNK)];
        int have = 0;
        while (have < n) {
            if (have == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            }
            int r = in.read(buf, have, buf.length - have);
            if (r < 0) {
                throw new VtestProtocolException(TRUNCATED, cmd.id(),
                        "stream ended after " + have + " of " + n + " payload bytes");
            }
            have += r;
        }
        return buf;
    }

    /** Reads up to n bytes, stopping early only at end of stream; returns the count. */
    private int readSome(byte[] buf, int off, int n) throws IOException {
        int have = 0;
        while (have < n) {
            int r = in.read(buf, off + have, n - have);
            if (r < 0) {
                break;
            }
            have += r;
        }
        return have;
    }

    private static VtestBox box(int[] d, int at) {
        return new VtestBox(d[at], d[at + 1], d[at + 2], d[at + 3], d[at + 4], d[at + 5]);
    }

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
                | (b[at + 3] & 0xffL) << 24;
    }

    private static long u64(int lo, int hi) {
        return Integer.toUnsignedLong(lo) | (long) hi << 32;
    }

    private static VtestProtocolException badLength(VtestCommandId cmd, long length, String expected) {
        return new VtestProtocolException(BAD_LENGTH, cmd.id(),
                "length " + length + " dwords, expected " + expected);
    }

    private static VtestProtocolException tooLarge(VtestCommandId cmd, String what) {
        return new VtestProtocolException(TOO_LARGE, cmd.id(), what + " exceeds the limit");
    }
}
