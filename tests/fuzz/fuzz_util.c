/*
 * fuzz_util.c - helpers shared by the fuzz targets (see fuzz.h).
 *
 * The loaders under test read files by path, and a fuzzer runs millions of
 * inputs, so each input goes to an anonymous memory file (memfd_create)
 * reached through /proc/self/fd: nothing touches the disk and nothing is
 * left behind when a run is interrupted.
 */
#include "fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

int fuzz_memfile(const uint8_t *data, size_t size, char *path, size_t path_size)
{
    int fd = memfd_create("wfsim-fuzz", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            close(fd);
            return -1;
        }
        done += (size_t)n;
    }
    snprintf(path, path_size, "/proc/self/fd/%d", fd);
    return fd;
}
