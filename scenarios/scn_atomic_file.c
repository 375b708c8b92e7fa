/* scn_atomic_file.c - files mmsim writes for the user (a JUnit report, a page, a
 * scenario the shell saves), written whole or not at all: the text goes to a
 * temporary beside the target, on the same file system, which commit flushes to
 * disk and renames over the target, so a reader never sees half a file and a
 * failed run leaves the old one in place.  A target that exists and is not a
 * regular file (/dev/stdout, a pipe) is written directly: it cannot be replaced. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scn.h"

int scn_atomic_open(scn_atomic_file_t *a, const char *path, char *why, size_t size)
{
    *a = (scn_atomic_file_t){.path = path};
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (!(a->f = fopen(path, "w"))) {
            snprintf(why, size, "%s: cannot write: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    size_t len = strlen(path) + 16;
    if (!(a->tmp = malloc(len))) {
        snprintf(why, size, "%s: out of memory", path);
        return -1;
    }
    snprintf(a->tmp, len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        snprintf(why, size, "%s: cannot create a temporary file next to it: %s", path, strerror(errno));
        free(a->tmp);
        a->tmp = NULL;
        return -1;
    }
    /* mkstemp makes it private; the result is an ordinary file, as the user's others are. */
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) || !(a->f = fdopen(fd, "w"))) {
        snprintf(why, size, "%s: cannot write: %s", path, strerror(errno));
        close(fd);
        scn_atomic_abort(a);
        return -1;
    }
    return 0;
}

int scn_atomic_commit(scn_atomic_file_t *a, char *why, size_t size)
{
    errno = 0;
    /* fsync means nothing to a terminal or a pipe (and fails on some). */
    int rc = ferror(a->f) || fflush(a->f) || (a->tmp && fsync(fileno(a->f))) ? -1 : 0;
    int saved = errno;
    if (fclose(a->f) && rc == 0)
        rc = -1, saved = errno;
    a->f = NULL;
    if (rc == 0 && a->tmp && rename(a->tmp, a->path))
        rc = -1, saved = errno;
    if (rc) {
        snprintf(why, size, "%s: cannot write: %s", a->path, saved ? strerror(saved) : "write error");
        if (a->tmp)
            unlink(a->tmp);
    }
    free(a->tmp);
    a->tmp = NULL;
    return rc;
}

void scn_atomic_abort(scn_atomic_file_t *a)
{
    if (a->f)
        fclose(a->f);
    if (a->tmp)
        unlink(a->tmp);
    free(a->tmp);
    *a = (scn_atomic_file_t){0};
}
