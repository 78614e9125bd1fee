package io.github.virgl4j.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/** Copies a stream record by record, with changes: for tests of the checks a replay makes. */
final class StreamRewriter {
    private StreamRewriter() {
    }

    static void rewrite(Path from, Path to, UnaryOperator<StreamManifest> manifest, UnaryOperator<StreamRecord> records)
            throws IOException {
        try (StreamReader in = StreamReader.open(from); StreamWriter out = new StreamWriter(to)) {
            StreamRecord r;
            while ((r = in.next()) != null) {
                r = records.apply(r);
                if (r instanceof StreamRecord.Request q) {
                    out.request(q.responseType(), ByteBuffer.wrap(q.bytes()));
                } else if (r instanceof StreamRecord.Backing b) {
                    out.backing(b.resourceId(), b.offset(), b.bytes(), 0, b.bytes().length);
                } else if (r instanceof StreamRecord.Frame f) {
                    out.frame(f.index(), f.kind(), f.sourceId(), f.width(), f.height(), f.sha256(), f.png());
                } else if (r instanceof StreamRecord.Reference ref) {
                    out.reference(ref.index(), ref.png());
                }
            }
            out.finish(manifest.apply(in.manifest()));
        }
    }
}
