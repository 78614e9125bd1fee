package io.github.virgl4j.device.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A decoded virtio-gpu request: one record per {@code VIRTIO_GPU_CMD_*} (virtio spec 1.2
 * §5.7.6.8). Every record carries its {@link CtrlHeader}; {@link #commandType()} is the wire
 * code the record encodes to. u32 fields are {@code int} holding the raw bits (compare them
 * unsigned); u64 fields are {@code long}. Produced by {@link GpuCommandDecoder}, turned back into
 * bytes by {@link GpuCommandEncoder}.
 */
public sealed interface GpuCommand {

    /** The request header (type, flags, fence, context, ring). */
    CtrlHeader header();

    /** The {@link GpuCommandType} code of this command. */
    int commandType();

    /** GET_DISPLAY_INFO: header only. */
    record GetDisplayInfo(CtrlHeader header) implements GpuCommand {
        public int commandType() { return GpuCommandType.GET_DISPLAY_INFO; }
    }

    /** RESOURCE_CREATE_2D; {@code format} is a {@link VirtioGpuFormat} code (unchecked). */
    record ResourceCreate2d(CtrlHeader header, int resourceId, int format, int width, int height)
            implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_CREATE_2D; }
    }

    /** RESOURCE_UNREF. */
    record ResourceUnref(CtrlHeader header, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_UNREF; }
    }

    /** SET_SCANOUT; resource 0 disables the scanout. */
    record SetScanout(CtrlHeader header, Rect rect, int scanoutId, int resourceId)
            implements GpuCommand {
        public int commandType() { return GpuCommandType.SET_SCANOUT; }
    }

    /** RESOURCE_FLUSH. */
    record ResourceFlush(CtrlHeader header, Rect rect, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_FLUSH; }
    }

    /** TRANSFER_TO_HOST_2D; {@code offset} is the byte offset into the guest backing. */
    record TransferToHost2d(CtrlHeader header, Rect rect, long offset, int resourceId)
            implements GpuCommand {
        public int commandType() { return GpuCommandType.TRANSFER_TO_HOST_2D; }
    }

    /** RESOURCE_ATTACH_BACKING with its {@code nr_entries} entries (unvalidated addresses). */
    record ResourceAttachBacking(CtrlHeader header, int resourceId, List<MemEntry> entries)
            implements GpuCommand {
        /** Copies {@code entries} into an immutable list. */
        public ResourceAttachBacking {
            entries = List.copyOf(entries);
        }

        public int commandType() { return GpuCommandType.RESOURCE_ATTACH_BACKING; }
    }

    /** RESOURCE_DETACH_BACKING. */
    record ResourceDetachBacking(CtrlHeader header, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_DETACH_BACKING; }
    }

    /** GET_CAPSET_INFO: asks for the capset at {@code capsetIndex} (0..num_capsets-1). */
    record GetCapsetInfo(CtrlHeader header, int capsetIndex) implements GpuCommand {
        public int commandType() { return GpuCommandType.GET_CAPSET_INFO; }
    }

    /** GET_CAPSET: asks for capset {@code capsetId} (a {@link CapsetId}) at a version. */
    record GetCapset(CtrlHeader header, int capsetId, int capsetVersion) implements GpuCommand {
        public int commandType() { return GpuCommandType.GET_CAPSET; }
    }

    /** GET_EDID for a scanout. */
    record GetEdid(CtrlHeader header, int scanoutId) implements GpuCommand {
        public int commandType() { return GpuCommandType.GET_EDID; }
    }

    /** RESOURCE_ASSIGN_UUID. */
    record ResourceAssignUuid(CtrlHeader header, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_ASSIGN_UUID; }
    }

    /** RESOURCE_CREATE_BLOB; {@code blobMem}/{@code blobFlags} use {@link Blob} constants. */
    record ResourceCreateBlob(CtrlHeader header, int resourceId, int blobMem, int blobFlags,
                              long blobId, long size, List<MemEntry> entries)
            implements GpuCommand {
        /** Copies {@code entries} into an immutable list. */
        public ResourceCreateBlob {
            entries = List.copyOf(entries);
        }

        public int commandType() { return GpuCommandType.RESOURCE_CREATE_BLOB; }
    }

    /** SET_SCANOUT_BLOB; {@code strides} and {@code offsets} hold exactly 4 planes each. */
    record SetScanoutBlob(CtrlHeader header, Rect rect, int scanoutId, int resourceId, int width,
                          int height, int format, List<Integer> strides, List<Integer> offsets)
            implements GpuCommand {
        /** Checks that there are 4 strides and 4 offsets. */
        public SetScanoutBlob {
            strides = List.copyOf(strides);
            offsets = List.copyOf(offsets);
            if (strides.size() != 4 || offsets.size() != 4) {
                throw new IllegalArgumentException("need 4 strides and 4 offsets");
            }
        }

        public int commandType() { return GpuCommandType.SET_SCANOUT_BLOB; }
    }

    /**
     * CTX_CREATE; {@code header().ctxId()} is the new context id. {@code debugName} holds the
     * {@code nlen} bytes of {@code debug_name} (at most 64) one char per byte (ISO-8859-1), so
     * {@code debugName.getBytes(ISO_8859_1)} gives back the guest's exact bytes.
     */
    record CtxCreate(CtrlHeader header, int contextInit, String debugName) implements GpuCommand {
        /** Maximum debug name size in bytes. */
        public static final int MAX_NAME_BYTES = 64;

        /** Requires a non-null name. */
        public CtxCreate {
            Objects.requireNonNull(debugName, "debugName");
        }

        /**
         * A CTX_CREATE named by text: its UTF-8 bytes, cut to at most {@link #MAX_NAME_BYTES}
         * between characters (what a transport that gets a name as text, like vtest, sends).
         */
        public static CtxCreate named(CtrlHeader header, int contextInit, String text) {
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            int n = Math.min(utf8.length, MAX_NAME_BYTES);
            while (n < utf8.length && n > 0 && (utf8[n] & 0xc0) == 0x80) {
                n--; // utf8[n] continues a character: cut before that character
            }
            return new CtxCreate(header, contextInit, new String(utf8, 0, n, StandardCharsets.ISO_8859_1));
        }

        public int commandType() { return GpuCommandType.CTX_CREATE; }

        /** The name's bytes read as UTF-8 (what guests send; a malformed byte becomes U+FFFD). */
        public String debugText() {
            return new String(debugName.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }

        /** Whether the name is bytes at all: every char at most 0xFF. */
        public boolean nameIsBytes() {
            return debugName.chars().allMatch(ch -> ch <= 0xff);
        }

        /** The capset id in bits 0-7 of {@code context_init} (0: default, virgl). */
        public int capsetId() {
            return contextInit & CapsetId.CONTEXT_INIT_CAPSET_ID_MASK;
        }
    }

    /** CTX_DESTROY of {@code header().ctxId()}. */
    record CtxDestroy(CtrlHeader header) implements GpuCommand {
        public int commandType() { return GpuCommandType.CTX_DESTROY; }
    }

    /** CTX_ATTACH_RESOURCE to {@code header().ctxId()}. */
    record CtxAttachResource(CtrlHeader header, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.CTX_ATTACH_RESOURCE; }
    }

    /** CTX_DETACH_RESOURCE from {@code header().ctxId()}. */
    record CtxDetachResource(CtrlHeader header, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.CTX_DETACH_RESOURCE; }
    }

    /** RESOURCE_CREATE_3D (gallium target/format/bind values, passed through). */
    record ResourceCreate3d(CtrlHeader header, int resourceId, int target, int format, int bind,
                            int width, int height, int depth, int arraySize, int lastLevel,
                            int nrSamples, int flags) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_CREATE_3D; }
    }

    /** TRANSFER_TO_HOST_3D ({@code struct virtio_gpu_transfer_host_3d}). */
    record TransferToHost3d(CtrlHeader header, Box3d box, long offset, int resourceId, int level,
                            int stride, int layerStride) implements GpuCommand {
        public int commandType() { return GpuCommandType.TRANSFER_TO_HOST_3D; }
    }

    /** TRANSFER_FROM_HOST_3D ({@code struct virtio_gpu_transfer_host_3d}). */
    record TransferFromHost3d(CtrlHeader header, Box3d box, long offset, int resourceId, int level,
                              int stride, int layerStride) implements GpuCommand {
        public int commandType() { return GpuCommandType.TRANSFER_FROM_HOST_3D; }
    }

    /**
     * SUBMIT_3D: {@code commands} is a read-only little-endian view of exactly {@code size}
     * command-stream bytes (position 0). It may share memory with the request buffer.
     */
    record Submit3d(CtrlHeader header, ByteBuffer commands) implements GpuCommand {
        /** Keeps a read-only view of the remaining bytes of {@code commands}. */
        public Submit3d {
            commands = commands.slice().asReadOnlyBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }

        public int commandType() { return GpuCommandType.SUBMIT_3D; }

        /** Command-stream size in bytes (the wire {@code size}). */
        public int size() {
            return commands.remaining();
        }
    }

    /** RESOURCE_MAP_BLOB at {@code offset} in the host-visible region. */
    record ResourceMapBlob(CtrlHeader header, int resourceId, long offset) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_MAP_BLOB; }
    }

    /** RESOURCE_UNMAP_BLOB. */
    record ResourceUnmapBlob(CtrlHeader header, int resourceId) implements GpuCommand {
        public int commandType() { return GpuCommandType.RESOURCE_UNMAP_BLOB; }
    }

    /** UPDATE_CURSOR (cursor queue): new 64x64 image from {@code resourceId} (0 hides). */
    record UpdateCursor(CtrlHeader header, CursorPos pos, int resourceId, int hotX, int hotY)
            implements GpuCommand {
        public int commandType() { return GpuCommandType.UPDATE_CURSOR; }
    }

    /** MOVE_CURSOR (cursor queue); the wire's resource/hot-spot fields are ignored. */
    record MoveCursor(CtrlHeader header, CursorPos pos) implements GpuCommand {
        public int commandType() { return GpuCommandType.MOVE_CURSOR; }
    }
}
