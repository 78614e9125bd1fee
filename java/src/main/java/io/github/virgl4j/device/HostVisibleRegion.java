package io.github.virgl4j.device;

/**
 * The host-visible shared memory region of the device (virtio spec 5.7.6.8, shmid
 * {@code VIRTIO_GPU_SHM_ID_HOST_VISIBLE} = 1), provided by the hypervisor, which advertises it to the
 * guest (a PCI shared-memory capability, or the MMIO SHM registers) with length {@link #size()}.
 * RESOURCE_MAP_BLOB asks the device to make a blob's host memory appear at an offset inside it;
 * the device checks the offset and length against {@link #size()} and against its other mappings,
 * then calls {@link #map}. Without a region, MAP_BLOB answers ERR_UNSPEC (as QEMU does without
 * {@code hostmem}).
 *
 * <p>The memory is the renderer's own ({@code virgl_renderer_resource_map}), so a mapping is
 * copy-free and coherent: what the guest writes through it the renderer sees. The device calls
 * {@link #map} and {@link #unmap} under its lock (on the render thread for MAP_BLOB, UNMAP_BLOB
 * and UNREF; on the caller's thread for reset and close); they must not call back into the
 * device. The host memory stays valid until {@link #unmap} has returned.
 *
 * <p><b>Alignment.</b> {@code hostAddress} and {@code length} need not be page multiples
 * (llvmpipe's buffers are 64-byte aligned heap memory). A hypervisor that maps whole pages into
 * guest physical space must return false for such a mapping, or it would show the guest the host
 * memory around the blob. {@link TrappedHostVisibleRegion} serves guest accesses byte by byte and
 * takes any alignment.
 */
public interface HostVisibleRegion {

    /** Bytes of the region as the guest sees it (the shm region's length). */
    long size();

    /**
     * Makes {@code length} bytes of host memory at {@code hostAddress} visible to the guest at
     * {@code offset} in the region. The device has checked that {@code [offset, offset + length)}
     * lies inside the region and overlaps no other mapping.
     *
     * @return false when the hypervisor cannot map it (the guest gets ERR_UNSPEC)
     */
    boolean map(long offset, long hostAddress, long length);

    /** Removes the mapping made at offset; after this returns the host memory may go away. */
    void unmap(long offset, long length);
}
