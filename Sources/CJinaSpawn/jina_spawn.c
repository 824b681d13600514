#define _GNU_SOURCE
#include "jina_spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int jina_pipe(int fds[2]) {
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
}

int jina_watch_parent(int signal, pid_t expected_parent) {
    if (prctl(PR_SET_PDEATHSIG, signal) != 0) return -1;
    return getppid() != expected_parent ? 1 : 0;
}

/* Only async-signal-safe calls between fork and exec: the parent is multi-threaded. */
static void child(const char *path, char *const argv[], char *const envp[], int in, int out, int err,
                  pid_t parent, int report) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);

    sigset_t all;
    sigemptyset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    for (int s = 1; s < NSIG; s++) {
        if (s != SIGKILL && s != SIGSTOP) signal(s, SIG_DFL);
    }

    /* Move the report pipe out of the way of 0-2 before dup2 overwrites them. */
    if (report <= 2) { int moved = fcntl(report, F_DUPFD_CLOEXEC, 3); if (moved >= 0) report = moved; }
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) goto fail;
    for (int fd = 3; fd < 1024; fd++) {
        if (fd != report) close(fd);
    }
    syscall(SYS_close_range, 1024, ~0U, 0);
    execve(path, argv, envp);
fail:;
    int code = errno;
    ssize_t ignored = write(report, &code, sizeof code);
    (void)ignored;
    _exit(127);
}

int jina_spawn(const char *path, char *const argv[], char *const envp[],
               int stdin_fd, int stdout_fd, int stderr_fd, pid_t *pid_out) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int code = errno;
        close(report[0]);
        close(report[1]);
        return code;
    }
    if (pid == 0) {
        close(report[0]);
        child(path, argv, envp, stdin_fd, stdout_fd, stderr_fd, parent, report[1]);
    }
    close(report[1]);
    int code = 0;
    ssize_t n;
    do { n = read(report[0], &code, sizeof code); } while (n < 0 && errno == EINTR);
    close(report[0]);
    if (n == (ssize_t)sizeof code) {
        /* exec failed: the child has exited with 127; let the caller reap it. */
        *pid_out = pid;
        return code;
    }
    *pid_out = pid;
    return 0;
}
