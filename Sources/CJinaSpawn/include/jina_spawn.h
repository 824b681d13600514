#ifndef JINA_SPAWN_H
#define JINA_SPAWN_H

#include <sys/types.h>

/// Starts `path` with `argv`/`envp`, its stdin/stdout/stderr on the given fds, in a new process
/// group, with every signal reset to default, every other fd closed, and SIGKILL as its
/// parent-death signal (it dies with the thread that spawned it). Returns 0 and the pid, or an
/// errno (including one from execve, reported through a close-on-exec pipe).
int jina_spawn(const char *path, char *const argv[], char *const envp[],
               int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid_out);

/// pipe2(O_CLOEXEC): both ends close on exec, so no child inherits another child's pipes.
int jina_pipe(int fds[2]);

/// Makes the calling process receive `signal` when its parent dies (prctl PR_SET_PDEATHSIG);
/// returns 1 when the parent is already gone (the caller should exit).
int jina_watch_parent(int signal, pid_t expected_parent);

#endif
