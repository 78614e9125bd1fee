package io.github.virgl4j.transport.vhostuser;

/**
 * SET_VRING_ADDR's payload (vhost-user.rst, "A vring address description"): ring index and
 * flags (u32), then the descriptor table, used ring, available ring and log addresses (u64).
 * Without VIRTIO_F_IOMMU_PLATFORM the three ring addresses are front-end <em>user</em>
 * addresses, translated through the memory table.
 *
 * @param index     ring index
 * @param flags     VHOST_VRING_F_LOG (bit 0) asks for used-ring logging (not supported)
 * @param desc      descriptor table user address
 * @param used      used ring user address
 * @param avail     available ring user address
 * @param log       guest address for logging
 */
public record VringAddress(int index, int flags, long desc, long used, long avail, long log) {
    /** Wire size. */
    public static final int SIZE = 40;
    /** VHOST_VRING_F_LOG. */
    public static final int F_LOG = 1;

    @Override
    public String toString() {
        return String.format("vring %d addr[desc 0x%x used 0x%x avail 0x%x flags %d]", index, desc, used, avail, flags);
    }
}
