package io.github.virgl4j.fuzz;

import static io.github.virgl4j.transport.vtest.VtestProtocol.*;

import io.github.virgl4j.transport.vtest.VtestBox;
import io.github.virgl4j.transport.vtest.VtestCommandId;
import io.github.virgl4j.transport.vtest.VtestRequest;
import io.github.virgl4j.transport.vtest.VtestRequest.*;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes {@link VtestRequest}s as the frames Mesa's vtest winsys sends (little-endian
 * {@code [length][id][payload]}; TRANSFER_PUT2 with length 10, SUBMIT_CMD2 in Mesa's layout:
 * batch headers, then every batch's commands, then every batch's syncs). Seeds of
 * {@link VtestFuzzTest} and its round-trip oracle.
 */
final class VtestFrames {
    private VtestFrames() {
    }

    static byte[] encode(VtestRequest r) {
        if (r instanceof CreateRenderer c) {
            byte[] name = (c.name() + "\0").getBytes(StandardCharsets.UTF_8);
            return concat(frame(name.length, VtestCommandId.CREATE_RENDERER), name);
        }
        if (r instanceof TransferPut t) {
            // The length counts the data rounded up to dwords; only data.length bytes follow.
            int[] head = cat(new int[] {t.handle(), t.level(), t.stride(), t.layerStride()}, box(t.box()),
                    new int[] {t.data().length});
            return concat(frame(TRANSFER_DWORDS + (t.data().length + 3) / 4, VtestCommandId.TRANSFER_PUT),
                    le(head), t.data());
        }
        return dwords(r.command(), payload(r));
    }

    private static int[] payload(VtestRequest r) {
        if (r instanceof ProtocolVersion v) {
            return new int[] {(int) v.version()};
        } else if (r instanceof ResourceCreate c) {
            return new int[] {c.handle(), c.target(), c.format(), c.bind(), c.width(), c.height(), c.depth(),
                c.arraySize(), c.lastLevel(), c.nrSamples()};
        } else if (r instanceof ResourceCreate2 c) {
            return new int[] {c.handle(), c.target(), c.format(), c.bind(), c.width(), c.height(), c.depth(),
                c.arraySize(), c.lastLevel(), c.nrSamples(), (int) c.dataSize()};
        } else if (r instanceof ResourceUnref u) {
            return new int[] {u.handle()};
        } else if (r instanceof TransferGet t) {
            return cat(new int[] {t.handle(), t.level(), t.stride(), t.layerStride()}, box(t.box()),
                    new int[] {(int) t.dataSize()});
        } else if (r instanceof TransferGet2 t) {
            return cat(new int[] {t.handle(), t.level()}, box(t.box()), new int[] {(int) t.dataSize(), (int) t.offset()});
        } else if (r instanceof TransferPut2 t) {
            return cat(new int[] {t.handle(), t.level()}, box(t.box()), new int[] {(int) t.dataSize(), (int) t.offset()});
        } else if (r instanceof SubmitCmd s) {
            return s.dwords();
        } else if (r instanceof ResourceBusyWait w) {
            return new int[] {w.handle(), w.flags()};
        } else if (r instanceof GetParam p) {
            return new int[] {p.param()};
        } else if (r instanceof GetCapset c) {
            return new int[] {c.capsetId(), c.version()};
        } else if (r instanceof ContextInit c) {
            return new int[] {c.capsetId()};
        } else if (r instanceof ResourceCreateBlob b) {
            return new int[] {b.blobType(), b.blobFlags(), (int) b.size(), (int) (b.size() >>> 32), (int) b.blobId(),
                (int) (b.blobId() >>> 32)};
        } else if (r instanceof SyncCreate s) {
            return new int[] {(int) s.initialValue(), (int) (s.initialValue() >>> 32)};
        } else if (r instanceof SyncUnref s) {
            return new int[] {s.syncId()};
        } else if (r instanceof SyncRead s) {
            return new int[] {s.syncId()};
        } else if (r instanceof SyncWrite s) {
            return new int[] {s.syncId(), (int) s.value(), (int) (s.value() >>> 32)};
        } else if (r instanceof SyncWait w) {
            return cat(new int[] {w.flags(), (int) w.timeoutMs()}, points(w.points()));
        } else if (r instanceof SubmitCmd2 s) {
            return submitCmd2(s.batches());
        }
        return new int[0]; // PING_PROTOCOL_VERSION, GET_CAPS, GET_CAPS2
    }

    /** Mesa's layout (vn_renderer_vtest.c): count, 8-dword headers, all commands, all syncs. */
    private static int[] submitCmd2(List<Batch> batches) {
        int header = 1 + SUBMIT_CMD2_BATCH_DWORDS * batches.size();
        int commands = 0;
        for (Batch b : batches) {
            commands += b.commands().length;
        }
        List<int[]> parts = new ArrayList<>();
        parts.add(new int[] {batches.size()});
        int cmdAt = header;
        int syncAt = header + commands;
        for (Batch b : batches) {
            parts.add(new int[] {b.flags(), cmdAt, b.commands().length, syncAt, b.syncs().size(), b.ringIdx(), 0, 0});
            cmdAt += b.commands().length;
            syncAt += SYNC_POINT_DWORDS * b.syncs().size();
        }
        batches.forEach(b -> parts.add(b.commands()));
        batches.forEach(b -> parts.add(points(b.syncs())));
        return cat(parts.toArray(new int[0][]));
    }

    private static int[] points(List<SyncPoint> points) {
        int[] out = new int[SYNC_POINT_DWORDS * points.size()];
        for (int i = 0; i < points.size(); i++) {
            SyncPoint p = points.get(i);
            out[3 * i] = p.syncId();
            out[3 * i + 1] = (int) p.value();
            out[3 * i + 2] = (int) (p.value() >>> 32);
        }
        return out;
    }

    private static int[] box(VtestBox b) {
        return new int[] {b.x(), b.y(), b.z(), b.width(), b.height(), b.depth()};
    }

    static byte[] dwords(VtestCommandId cmd, int... payload) {
        return concat(frame(payload.length, cmd), le(payload));
    }

    static byte[] frame(int length, VtestCommandId cmd) {
        return le(new int[] {length, cmd.id()});
    }

    static byte[] le(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    static int[] cat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) {
            n += p.length;
        }
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
