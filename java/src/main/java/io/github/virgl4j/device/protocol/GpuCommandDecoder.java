package io.github.virgl4j.device.protocol;

import static io.github.virgl4j.device.protocol.GpuCommandType.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes guest request bytes into {@link GpuCommand}s. Only the wire structure is checked here
 * (type known, enough bytes, counts consistent with the bytes present); ids, formats and
 * addresses are the handlers' business. Never throws: any problem becomes a {@link DecodeError}.
 */
public final class GpuCommandDecoder {
    private GpuCommandDecoder() {
    }

    /** Most memory entries accepted in one ATTACH_BACKING / CREATE_BLOB (QEMU's limit too). */
    public static final int MAX_MEM_ENTRIES = 16384;

    private static final GpuResponse.Err UNSPEC = GpuResponse.Err.UNSPEC;
    private static final GpuResponse.Err INVALID = GpuResponse.Err.INVALID_PARAMETER;

    /**
     * Decodes the bytes between {@code request}'s position and limit (little-endian, whatever
     * the buffer's order). The buffer's position, limit and order are not changed. Trailing bytes
     * after a fixed-size request are ignored. The returned SUBMIT_3D view shares
     * {@code request}'s memory: copy it if the buffer is reused.
     *
     * @param request the gathered device-readable bytes of one descriptor chain; may be null
     * @return the command, or the error to answer with; never null, never throws
     */
    public static DecodeResult decode(ByteBuffer request) {
        if (request == null) {
            return new DecodeError(CtrlHeader.EMPTY, UNSPEC, "no request bytes");
        }
        try {
            return decodeStrict(request);
        } catch (RuntimeException e) {
            // Defence in depth: decodeStrict is fuzzed to never get here.
            return new DecodeError(CtrlHeader.EMPTY, UNSPEC, "decoder failure: " + e);
        }
    }

    /**
     * The limits {@link #decode} applies, for a command a transport built itself instead of
     * bytes: what the wire could not carry is refused the same way (entry count, name length).
     */
    public static DecodeResult check(GpuCommand command) {
        CtrlHeader h = command.header();
        java.util.List<MemEntry> entries = command instanceof GpuCommand.ResourceAttachBacking a ? a.entries()
                : command instanceof GpuCommand.ResourceCreateBlob c ? c.entries() : java.util.List.of();
        if (entries.size() > MAX_MEM_ENTRIES) {
            return new DecodeError(h, INVALID, "nr_entries " + entries.size() + " > " + MAX_MEM_ENTRIES);
        }
        if (command instanceof GpuCommand.CtxCreate c) {
            if (c.debugName().length() > GpuCommand.CtxCreate.MAX_NAME_BYTES) {
                return new DecodeError(h, INVALID, "CTX_CREATE name of " + c.debugName().length() + " bytes > "
                        + GpuCommand.CtxCreate.MAX_NAME_BYTES);
            }
            if (!c.nameIsBytes()) { // see CtxCreate.named
                return new DecodeError(h, INVALID, "CTX_CREATE name is text, not one char per byte");
            }
        }
        return ok(command);
    }

    /** Like {@link #decode} without the safety net, so tests see any exception. */
    static DecodeResult decodeStrict(ByteBuffer request) {
        ByteBuffer b = request.slice().order(ByteOrder.LITTLE_ENDIAN);
        int n = b.limit();
        if (n < CtrlHeader.SIZE) {
            return new DecodeError(CtrlHeader.EMPTY, UNSPEC, "request of " + n + " bytes has no header");
        }
        CtrlHeader h = CtrlHeader.read(b, 0);
        int fixed = requestSize(h.type());
        if (fixed < 0) {
            return new DecodeError(h, UNSPEC, "unknown command type " + name(h.type()));
        }
        if (n < fixed) {
            return new DecodeError(h, UNSPEC,
                    name(h.type()) + " truncated: " + n + " of " + fixed + " bytes");
        }
        switch (h.type()) {
            case GET_DISPLAY_INFO:
                return ok(new GpuCommand.GetDisplayInfo(h));
            case RESOURCE_CREATE_2D:
                return ok(new GpuCommand.ResourceCreate2d(h, b.getInt(24), b.getInt(28),
                        b.getInt(32), b.getInt(36)));
            case RESOURCE_UNREF:
                return ok(new GpuCommand.ResourceUnref(h, b.getInt(24)));
            case SET_SCANOUT:
                return ok(new GpuCommand.SetScanout(h, rect(b, 24), b.getInt(40), b.getInt(44)));
            case RESOURCE_FLUSH:
                return ok(new GpuCommand.ResourceFlush(h, rect(b, 24), b.getInt(40)));
            case TRANSFER_TO_HOST_2D:
                return ok(new GpuCommand.TransferToHost2d(h, rect(b, 24), b.getLong(40),
                        b.getInt(48)));
            case RESOURCE_ATTACH_BACKING: {
                DecodeError bad = checkEntries(h, b, 32, b.getInt(28));
                return bad != null ? bad : ok(new GpuCommand.ResourceAttachBacking(h,
                        b.getInt(24), readEntries(b, 32, b.getInt(28))));
            }
            case RESOURCE_DETACH_BACKING:
                return ok(new GpuCommand.ResourceDetachBacking(h, b.getInt(24)));
            case GET_CAPSET_INFO:
                return ok(new GpuCommand.GetCapsetInfo(h, b.getInt(24)));
            case GET_CAPSET:
                return ok(new GpuCommand.GetCapset(h, b.getInt(24), b.getInt(28)));
            case GET_EDID:
                return ok(new GpuCommand.GetEdid(h, b.getInt(24)));
            case RESOURCE_ASSIGN_UUID:
                return ok(new GpuCommand.ResourceAssignUuid(h, b.getInt(24)));
            case RESOURCE_CREATE_BLOB: {
                DecodeError bad = checkEntries(h, b, 56, b.getInt(36));
                return bad != null ? bad : ok(new GpuCommand.ResourceCreateBlob(h, b.getInt(24),
                        b.getInt(28), b.getInt(32), b.getLong(40), b.getLong(48),
                        readEntries(b, 56, b.getInt(36))));
            }
            case SET_SCANOUT_BLOB:
                return ok(new GpuCommand.SetScanoutBlob(h, rect(b, 24), b.getInt(40), b.getInt(44),
                        b.getInt(48), b.getInt(52), b.getInt(56), ints(b, 64, 4), ints(b, 80, 4)));
            case CTX_CREATE:
                return ctxCreate(h, b);
            case CTX_DESTROY:
                return ok(new GpuCommand.CtxDestroy(h));
            case CTX_ATTACH_RESOURCE:
                return ok(new GpuCommand.CtxAttachResource(h, b.getInt(24)));
            case CTX_DETACH_RESOURCE:
                return ok(new GpuCommand.CtxDetachResource(h, b.getInt(24)));
            case RESOURCE_CREATE_3D:
                return ok(new GpuCommand.ResourceCreate3d(h, b.getInt(24), b.getInt(28),
                        b.getInt(32), b.getInt(36), b.getInt(40), b.getInt(44), b.getInt(48),
                        b.getInt(52), b.getInt(56), b.getInt(60), b.getInt(64)));
            case TRANSFER_TO_HOST_3D:
                return ok(new GpuCommand.TransferToHost3d(h, box(b, 24), b.getLong(48),
                        b.getInt(56), b.getInt(60), b.getInt(64), b.getInt(68)));
            case TRANSFER_FROM_HOST_3D:
                return ok(new GpuCommand.TransferFromHost3d(h, box(b, 24), b.getLong(48),
                        b.getInt(56), b.getInt(60), b.getInt(64), b.getInt(68)));
            case SUBMIT_3D:
                return submit(h, b);
            case RESOURCE_MAP_BLOB:
                return ok(new GpuCommand.ResourceMapBlob(h, b.getInt(24), b.getLong(32)));
            case RESOURCE_UNMAP_BLOB:
                return ok(new GpuCommand.ResourceUnmapBlob(h, b.getInt(24)));
            case UPDATE_CURSOR:
                return ok(new GpuCommand.UpdateCursor(h, cursor(b, 24), b.getInt(40),
                        b.getInt(44), b.getInt(48)));
            case MOVE_CURSOR:
                return ok(new GpuCommand.MoveCursor(h, cursor(b, 24)));
            default:
                // requestSize() knows every type handled above; keep the two in step.
                return new DecodeError(h, UNSPEC, "unhandled command type " + name(h.type()));
        }
    }

    private static DecodeResult ok(GpuCommand c) {
        return new DecodeResult.Decoded(c);
    }

    /**
     * Checks a guest-supplied entry count against the limit and against the bytes actually
     * present, before anything is allocated from it. Returns null when the count is fine.
     */
    private static DecodeError checkEntries(CtrlHeader h, ByteBuffer b, int at, int nrEntries) {
        long count = Integer.toUnsignedLong(nrEntries);
        if (count > MAX_MEM_ENTRIES) {
            return new DecodeError(h, INVALID, "nr_entries " + count + " > " + MAX_MEM_ENTRIES);
        }
        long available = (b.limit() - at) / MemEntry.SIZE;
        if (count > available) {
            return new DecodeError(h, INVALID,
                    "nr_entries " + count + " but only " + available + " entries present");
        }
        return null;
    }

    /** Reads entries whose count {@link #checkEntries} accepted. */
    private static List<MemEntry> readEntries(ByteBuffer b, int at, int count) {
        MemEntry[] out = new MemEntry[count];
        for (int i = 0; i < count; i++) {
            int p = at + i * MemEntry.SIZE;
            out[i] = new MemEntry(b.getLong(p), b.getInt(p + 8));
        }
        return Arrays.asList(out);
    }

    private static DecodeResult ctxCreate(CtrlHeader h, ByteBuffer b) {
        long nlen = Integer.toUnsignedLong(b.getInt(24));
        if (nlen > GpuCommand.CtxCreate.MAX_NAME_BYTES) {
            return new DecodeError(h, INVALID, "CTX_CREATE nlen " + nlen + " > " + GpuCommand.CtxCreate.MAX_NAME_BYTES);
        }
        byte[] name = new byte[(int) nlen];
        b.get(32, name, 0, name.length);
        // ISO-8859-1 maps every byte to one char: the guest's exact bytes survive re-encoding.
        return ok(new GpuCommand.CtxCreate(h, b.getInt(28), new String(name, StandardCharsets.ISO_8859_1)));
    }

    private static DecodeResult submit(CtrlHeader h, ByteBuffer b) {
        long size = Integer.toUnsignedLong(b.getInt(24));
        int present = b.limit() - 32;
        if (size > present) {
            return new DecodeError(h, INVALID,
                    "SUBMIT_3D size " + size + " but " + present + " bytes present");
        }
        return ok(new GpuCommand.Submit3d(h, b.slice(32, (int) size)));
    }

    private static Rect rect(ByteBuffer b, int at) {
        return new Rect(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12));
    }

    private static Box3d box(ByteBuffer b, int at) {
        return new Box3d(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8),
                b.getInt(at + 12), b.getInt(at + 16), b.getInt(at + 20));
    }

    private static CursorPos cursor(ByteBuffer b, int at) {
        return new CursorPos(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8));
    }

    private static List<Integer> ints(ByteBuffer b, int at, int count) {
        Integer[] out = new Integer[count];
        for (int i = 0; i < count; i++) {
            out[i] = b.getInt(at + 4 * i);
        }
        return List.of(out);
    }
}
