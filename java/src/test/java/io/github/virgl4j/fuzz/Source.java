package io.github.virgl4j.fuzz;

/**
 * Where the request generator ({@link RequestGen}) gets its decisions. {@link FdpSource} takes
 * them from Jazzer's FuzzedDataProvider; {@link SeedSource} answers them from real request bytes
 * and writes the FuzzedDataProvider input that makes the generator produce those bytes again,
 * so seed files are real guest requests and the generator is the only place that knows the
 * input format.
 */
interface Source {
    /** Whether the input holds another request. */
    boolean more();

    /**
     * Index into {@link RequestGen#TYPES} for a structured command, TYPES.length for raw bytes,
     * or -1: no more requests in this input.
     */
    int op();

    /** A 32-bit wire field: one of {@code kind}'s interesting values, or any value. */
    int u32(int[] kind);

    /** A 64-bit wire field, like {@link #u32}. */
    long u64(long[] kind);

    /** n raw bytes (zero-padded if the input ran out). */
    byte[] bytes(int n);

    /** How many 16-byte memory entries follow a declared nr_entries (0..{@link RequestGen#MAX_ENTRIES}). */
    int entriesPresent(int declared);

    /** Whether SUBMIT_3D's size field is fuzzed instead of being the stream's length. */
    boolean submitSizeLies();

    /** Commands in a SUBMIT_3D virgl stream, 0..{@link VirglGen#MAX_COMMANDS}. */
    int virglCommands();

    /** A virgl command header: {@code cmd | object << 8 | length << 16}. */
    int virglHeader();

    /** Body dwords present after a virgl header whose length field says declared. */
    int virglBody(int declared);

    /** 0 to send the request as generated, else a wire mutation (truncate, extend, overwrite). */
    int mutation();

    /** A free choice in [min, max] (raw requests and mutations only). */
    int range(int min, int max);
}
