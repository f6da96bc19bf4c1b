// SPDX-License-Identifier: GPL-2.0
/*
 * make bench: pipes filled from memory that must stay movable.
 *
 *   pipe_bench offline MIB DEADLINE_S
 *	A child, as uid 65534 (nobody) within the default pipe limits (1 MiB
 *	pipes, fs.pipe-user-pages-soft: 64 MiB, so MIB <= 64 and no other
 *	pipe of that user), vmsplices MIB MiB of anonymous memory into pipes
 *	nobody reads and waits; every ZONE_MOVABLE memory block holding a
 *	source page is offlined (each interrupted after DEADLINE_S) and
 *	onlined again; then the child reads the pipes and checks every byte.
 *	Prints "BENCH offline_vmspliced_<MIB>m_ms T ms" ("T+" when an
 *	offline hit its deadline: 6.12 retries until interrupted).
 *   pipe_bench tput MIB
 *	vmsplice(2) of MIB MiB of anonymous memory and splice(2) of a MIB MiB
 *	memfd, 64 KiB at a time, each read back through the pipe: median of 5,
 *	with the share of source pages in ZONE_MOVABLE (those get copied).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#define PIPE_SZ		(1 << 20)
#define CHUNK		(64 << 10)
#define MAX_BLOCKS	64
#define NOBODY		65534	/* the holder's uid and gid, when run as root */

static unsigned long block_bytes;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static char pattern(size_t off)
{
	return (char)((off >> 12) * 131 + off + 1);
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, s, strlen(s)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static int block_movable(unsigned long b)
{
	char path[96], buf[64] = "";
	int fd, n;

	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/valid_zones", b);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 && !strncmp(buf, "Movable", 7);
}

/*
 * Memory blocks of @len bytes at @mem of process @pid (0: this one) in
 * ZONE_MOVABLE; *@movable pages in them.
 */
static int movable_blocks(pid_t pid, const char *mem, size_t len, unsigned long *blocks,
			  long *movable)
{
	char path[64];
	int pm, n = 0, i;
	size_t off;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	pm = open(path, O_RDONLY);

	*movable = 0;
	for (off = 0; pm >= 0 && off < len; off += 4096) {
		uint64_t e;
		unsigned long b;

		if (pread(pm, &e, 8, ((uintptr_t)mem + off) / 4096 * 8) != 8 ||
		    !(e >> 63) || !(e & ((1ULL << 55) - 1)))
			continue;
		b = (e & ((1ULL << 55) - 1)) * 4096 / block_bytes;
		if (!block_movable(b))
			continue;
		(*movable)++;
		for (i = 0; i < n && blocks[i] != b; i++)
			;
		if (i == n && n < MAX_BLOCKS)
			blocks[n++] = b;
	}
	if (pm >= 0)
		close(pm);
	return n;
}

/*
 * Offline block @b within @deadline_s, and online it again: the offline's
 * time in ms; negative if it was interrupted at the deadline or failed
 * (*@failed set then).
 */
static long offline_block(unsigned long b, int deadline_s, int *failed)
{
	char path[96];
	uint64_t t0 = now_ms(), t;
	int status = 0, late = 0;
	pid_t pid;

	*failed = 0;
	snprintf(path, sizeof(path), "/sys/devices/system/memory/memory%lu/state", b);
	pid = fork();
	if (pid < 0) {
		*failed = 1;
		return -1;
	}
	if (!pid) {
		signal(SIGINT, SIG_DFL);
		_exit(write_file(path, "offline") ? 1 : 0);
	}
	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (now_ms() - t0 > (uint64_t)deadline_s * 1000) {
			kill(pid, SIGINT);
			waitpid(pid, &status, 0);
			late = 1;
			break;
		}
		usleep(10 * 1000);
	}
	t = now_ms() - t0;
	/* An offline done just before the signal counts as done. */
	if (WIFEXITED(status) && !WEXITSTATUS(status)) {
		write_file(path, "online_movable");
		return t;
	}
	*failed = !late;
	return -(long)t;
}

/* The holder's side of offline_bench(), in the child: never returns. */
static void hold_and_read(size_t len, int ready, int go)
{
	int npipes = len / PIPE_SZ, i;
	int (*p)[2] = calloc(npipes, sizeof(*p));
	size_t off, bad = 0, got = 0;
	char *mem, c;

	/* Anyone may do this: nobody, within the default pipe limits. */
	if (!geteuid() && (setgroups(0, NULL) || setgid(NOBODY) || setuid(NOBODY))) {
		perror("pipe_bench: setuid");
		_exit(3);
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || !p)
		_exit(3);
	madvise(mem, len, MADV_NOHUGEPAGE);
	for (off = 0; off < len; off++)
		mem[off] = pattern(off);
	for (i = 0; i < npipes; i++) {
		struct iovec iov = { mem + (size_t)i * PIPE_SZ, PIPE_SZ };

		if (pipe(p[i]) || fcntl(p[i][1], F_SETPIPE_SZ, PIPE_SZ) < 0) {
			fprintf(stderr, "pipe_bench: pipe %d of %d, uid %d: %s\n",
				i + 1, npipes, getuid(), strerror(errno));
			_exit(3);
		}
		while (iov.iov_len) {
			ssize_t n = vmsplice(p[i][1], &iov, 1, 0);

			if (n <= 0) {
				perror("pipe_bench: vmsplice");
				_exit(3);
			}
			iov.iov_base = (char *)iov.iov_base + n;
			iov.iov_len -= n;
		}
	}
	/* Where the source is, for the parent's pagemap; then only the pipes hold it. */
	if (write(ready, &mem, sizeof(mem)) != sizeof(mem) || read(go, &c, 1) != 1)
		_exit(3);
	munmap(mem, len);
	if (write(ready, "u", 1) != 1 || read(go, &c, 1) != 1)
		_exit(3);
	for (i = 0; i < npipes; i++) {
		char buf[CHUNK];
		ssize_t n;

		close(p[i][1]);
		while ((n = read(p[i][0], buf, sizeof(buf))) > 0) {
			for (off = 0; off < (size_t)n; off++)
				bad += buf[off] != pattern(got + off);
			got += n;
		}
	}
	printf("# the pipes gave %zu of %zu bytes, %zu differ from the source\n",
	       got, len, bad);
	_exit(got == len && !bad ? 0 : 2);
}

static int offline_bench(size_t mib, int deadline_s)
{
	size_t len = mib << 20;
	int i, go[2], ready[2], nb, late = 0, bad = 0, failed, status = 0;
	unsigned long blocks[MAX_BLOCKS];
	long movable, t, total = 0;
	char *mem, c;
	pid_t child;

	if (pipe(go) || pipe(ready))
		return 1;
	fflush(stdout);
	child = fork();
	if (child < 0)
		return 1;
	if (!child) {
		close(go[1]);
		close(ready[0]);
		hold_and_read(len, ready[1], go[0]);
	}
	close(go[0]);
	close(ready[1]);
	if (read(ready[0], &mem, sizeof(mem)) != sizeof(mem)) {
		waitpid(child, &status, 0);
		if (WIFSIGNALED(status))
			fprintf(stderr, "pipe_bench: the holder died of signal %d\n",
				WTERMSIG(status));
		else
			fprintf(stderr, "pipe_bench: the holder failed (%d)\n",
				WEXITSTATUS(status));
		return 1;
	}
	nb = movable_blocks(child, mem, len, blocks, &movable);
	printf("# %zu MiB vmspliced by uid %d into %zu pipes of 1 MiB; %ld pages in ZONE_MOVABLE, %d block(s)\n",
	       mib, geteuid() ? (int)geteuid() : NOBODY, len / PIPE_SZ, movable, nb);
	if (write(go[1], "u", 1) != 1 || read(ready[0], &c, 1) != 1)
		return 1;
	for (i = 0; i < nb; i++) {
		t = offline_block(blocks[i], deadline_s, &failed);
		printf("# memory%lu: %s after %ld ms\n", blocks[i],
		       t >= 0 ? "offlined" : failed ? "offline failed" :
		       "still online, interrupted", t >= 0 ? t : -t);
		late += t < 0 && !failed;
		bad += failed;
		total += t >= 0 ? t : -t;
	}
	if (nb && !bad)
		printf("BENCH offline_vmspliced_%zum_ms %ld%s ms\n", mib, total, late ? "+" : "");
	else if (nb)
		printf("# %d offline(s) failed: no figure\n", bad);
	else
		printf("# no source page in ZONE_MOVABLE: nothing to offline\n");
	fflush(stdout);
	if (write(go[1], "g", 1) != 1)
		return 1;
	waitpid(child, &status, 0);
	return WIFEXITED(status) && !WEXITSTATUS(status) && !bad ? 0 : 1;
}

static int cmp_u64(const void *a, const void *b)
{
	return *(const uint64_t *)a < *(const uint64_t *)b ? -1 :
	       *(const uint64_t *)a > *(const uint64_t *)b;
}

/* One pass: @len bytes through a pipe, 64 KiB at a time; its ms, 0 on error. */
static uint64_t through_pipe(char *mem, int memfd, size_t len)
{
	static char buf[CHUNK];
	uint64_t t0 = now_ms();
	size_t off;
	int p[2];

	if (pipe(p))
		return 0;
	for (off = 0; off < len; off += CHUNK) {
		struct iovec iov = { mem + off, CHUNK };
		loff_t pos = off;
		ssize_t n;

		n = memfd >= 0 ? splice(memfd, &pos, p[1], NULL, CHUNK, 0) :
				 vmsplice(p[1], &iov, 1, 0);
		if (n != CHUNK || read(p[0], buf, CHUNK) != CHUNK ||
		    buf[0] != mem[off] || buf[CHUNK - 1] != mem[off + CHUNK - 1])
			return 0;
	}
	close(p[0]);
	close(p[1]);
	return now_ms() - t0 ?: 1;
}

static int tput_bench(size_t mib)
{
	size_t len = mib << 20, off;
	unsigned long blocks[MAX_BLOCKS];
	uint64_t t[5];
	long movable;
	int memfd, k, i;
	char *mem;

	for (k = 0; k < 2; k++) {
		memfd = -1;
		if (k) {
			memfd = memfd_create("pipe_bench", 0);
			if (memfd < 0 || ftruncate(memfd, len))
				return 1;
			mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
		} else {
			mem = mmap(NULL, len, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		}
		if (mem == MAP_FAILED)
			return 1;
		for (off = 0; off < len; off++)
			mem[off] = pattern(off);
		movable_blocks(0, mem, len, blocks, &movable);
		for (i = 0; i < 5; i++) {
			t[i] = through_pipe(mem, memfd, len);
			if (!t[i]) {
				fprintf(stderr, "pipe_bench: wrong bytes through the pipe\n");
				return 1;
			}
		}
		qsort(t, 5, sizeof(t[0]), cmp_u64);
		printf("# %s: %ld of %zu source pages in ZONE_MOVABLE\n",
		       k ? "splice of a memfd" : "vmsplice of anonymous memory",
		       movable, len / 4096);
		printf("BENCH %s_read_%zum_ms %llu ms\n", k ? "splice" : "vmsplice", mib,
		       (unsigned long long)t[2]);
		munmap(mem, len);
		if (memfd >= 0)
			close(memfd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	FILE *f = fopen("/sys/devices/system/memory/block_size_bytes", "r");

	if (!f || fscanf(f, "%lx", &block_bytes) != 1 || !block_bytes) {
		fprintf(stderr, "pipe_bench: no memory block size\n");
		return 1;
	}
	fclose(f);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "offline"))
		return offline_bench(strtoul(argv[2], NULL, 0), atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "tput"))
		return tput_bench(strtoul(argv[2], NULL, 0));
	fprintf(stderr, "usage: pipe_bench offline MIB DEADLINE_S | tput MIB\n");
	return 2;
}
