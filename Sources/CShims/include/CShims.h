// Tiny C helpers the Swift standard library does not expose.
#ifndef CSHIMS_H
#define CSHIMS_H

/// Asks the CPU to start loading the cache line at `address` (for reading, keep in all cache
/// levels). A hint only: it never faults, even for an invalid address.
static inline void cshims_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
