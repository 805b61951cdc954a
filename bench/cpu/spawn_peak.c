/* spawn_peak.c: runs one command for bench_cpu and reports its wall time and peak RSS. */
/*
 * Linux carries a process's peak RSS across exec: ru_maxrss of a child
 * includes the memory of the process it was forked (or vforked) from. Forked
 * from bench_cpu's Python, every engine would weigh at least as much as
 * Python; forked from this small program, the floor is a megabyte or so.
 *
 * Usage: spawn_peak TIMEOUT_SECONDS LOG COMMAND [ARGS...]
 *
 * COMMAND's stdin is /dev/null, its stdout and stderr go to LOG. When it has
 * ended, one line on stdout:
 *
 *     exit STATUS|signal NUMBER|timeout SECONDS  WALL_NS CPU_NS MAXRSS_KIB
 *
 * WALL_NS is CLOCK_MONOTONIC from before the fork to after the reap, CPU_NS
 * the user and system time of COMMAND (all its threads). After
 * TIMEOUT_SECONDS COMMAND gets SIGKILL and the line says "timeout".
 * spawn_peak's own status is 0 when it printed that line (an exec that failed
 * is "exit 127", LOG says why), 1 on another failure, 2 for a bad command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FAILED 1
#define EXIT_USAGE 2
#define EXIT_EXEC_FAILED 127
#define MAX_TIMEOUT_SECONDS 86400ul

static volatile sig_atomic_t child_pid;
static volatile sig_atomic_t timed_out;

static void on_alarm(int signo)
{
	(void)signo;
	timed_out = 1;
	if (child_pid > 0)
		kill((pid_t)child_pid, SIGKILL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t timeval_ns(const struct timeval *tv)
{
	return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

/* In the child: stdin from /dev/null, stdout and stderr to the log, then exec. */
static void exec_command(int log_fd, char **argv)
{
	int null_fd = open("/dev/null", O_RDONLY);

	if (null_fd < 0 || dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
	    dup2(log_fd, STDERR_FILENO) < 0)
		_exit(EXIT_EXEC_FAILED);
	execvp(argv[0], argv);
	dprintf(STDERR_FILENO, "spawn_peak: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(EXIT_EXEC_FAILED);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned long timeout;
	struct rusage usage;
	uint64_t start, wall;
	int log_fd, status;
	pid_t pid, got;
	char *end;

	if (argc < 4) {
		fprintf(stderr, "Usage: spawn_peak TIMEOUT_SECONDS LOG COMMAND [ARGS...]\n");
		return EXIT_USAGE;
	}
	errno = 0;
	timeout = strtoul(argv[1], &end, 10);
	if (errno || *end || end == argv[1] || timeout == 0 || timeout > MAX_TIMEOUT_SECONDS) {
		fprintf(stderr, "spawn_peak: the timeout is 1-%lu seconds, not '%s'\n",
			MAX_TIMEOUT_SECONDS, argv[1]);
		return EXIT_USAGE;
	}
	log_fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0) {
		fprintf(stderr, "spawn_peak: cannot open %s: %s\n", argv[2], strerror(errno));
		return EXIT_FAILED;
	}
	/* No SA_RESTART: the alarm interrupts wait4, which is then retried. */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0) {
		fprintf(stderr, "spawn_peak: sigaction: %s\n", strerror(errno));
		return EXIT_FAILED;
	}

	start = now_ns();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "spawn_peak: fork: %s\n", strerror(errno));
		return EXIT_FAILED;
	}
	if (pid == 0)
		exec_command(log_fd, &argv[3]);
	child_pid = pid;
	alarm((unsigned)timeout);
	do
		got = wait4(pid, &status, 0, &usage);
	while (got < 0 && errno == EINTR);
	wall = now_ns() - start;
	alarm(0);
	close(log_fd);
	if (got < 0) {
		fprintf(stderr, "spawn_peak: wait4: %s\n", strerror(errno));
		return EXIT_FAILED;
	}

	if (timed_out)
		printf("timeout %lu", timeout);
	else if (WIFSIGNALED(status))
		printf("signal %d", WTERMSIG(status));
	else
		printf("exit %d", WEXITSTATUS(status));
	/* ru_maxrss is in KiB on Linux. */
	printf(" %llu %llu %ld\n", (unsigned long long)wall,
	       (unsigned long long)(timeval_ns(&usage.ru_utime) + timeval_ns(&usage.ru_stime)),
	       usage.ru_maxrss);
	return 0;
}
