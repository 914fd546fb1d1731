// The GNU posix_spawn extensions and pipe2, which Swift's Glibc module does not expose
// (it is imported without _GNU_SOURCE). Test-only: TestSupport's ChildProcess needs them
// to close every stray descriptor in the child and to create close-on-exec pipes
// atomically.
#ifndef CSPAWN_H
#define CSPAWN_H
#include <spawn.h>

int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);
int cspawn_pipe_cloexec(int fds[2]);

#endif
