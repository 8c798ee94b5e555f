/*
 * cli_spawn.c - running dbt (and other helpers) as child processes.
 *
 * A step's output goes to a log file under the run's folder; the user sees a
 * progress line, and on failure the lines of the log that say what failed
 * (dbt's "ERROR"/"FAIL" lines, or the log's tail when there are none).
 * With --verbose the log is also copied to stderr as it is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wfsim_cli.h"

extern char **environ;

int cli_spawn(char *const argv[], const char *log_path, int echo)
{
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        fprintf(stderr, "wfsim: cannot create %s: %s\n", log_path, strerror(errno));
        return -1;
    }
    int pipefd[2] = {-1, -1};
    if (echo && pipe(pipefd) != 0)
        echo = 0;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    int out = echo ? pipefd[1] : fd;
    posix_spawn_file_actions_adddup2(&fa, out, STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&fa, out, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (echo)
        close(pipefd[1]);
    if (rc != 0) {
        fprintf(stderr, "wfsim: cannot run %s: %s\n", argv[0], strerror(rc));
        if (echo)
            close(pipefd[0]);
        close(fd);
        return -1;
    }
    if (echo) {
        char buf[4096];
        ssize_t n;
        while ((n = read(pipefd[0], buf, sizeof buf)) > 0) {
            if (write(fd, buf, (size_t)n) != n || fwrite(buf, 1, (size_t)n, stderr) != (size_t)n)
                break;
        }
        close(pipefd[0]);
    }
    close(fd);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void cli_show_failure(const char *log_path)
{
    FILE *f = fopen(log_path, "r");
    if (!f)
        return;
    char line[4096];
    int shown = 0;
    /* dbt marks what failed with ERROR / FAIL / Error / Failure lines. */
    while (fgets(line, sizeof line, f))
        if (strstr(line, "ERROR") || strstr(line, "FAIL") || strstr(line, "Error") ||
            strstr(line, "Failure") || strstr(line, "error:")) {
            fprintf(stderr, "  | %s", line);
            if (++shown == 60)
                break;
        }
    if (!shown) {
        /* No marked lines: the last lines say most. */
        rewind(f);
        char tail[20][4096];
        int n = 0;
        while (fgets(tail[n % 20], sizeof tail[0], f))
            n++;
        for (int i = n > 20 ? n - 20 : 0; i < n; i++)
            fprintf(stderr, "  | %s", tail[i % 20]);
    }
    fclose(f);
    fprintf(stderr, "wfsim: the whole output is in %s\n", log_path);
}
