// SPDX-License-Identifier: GPL-2.0
/*
 * The state a real machine is in, for make bench: N MiB of page cache (a
 * memfd's shmem pages) referenced by sockets, as an unprivileged process
 * holds them with sendfile(2) into AF_UNIX sockets whose peers do not read
 * (pipes no longer hold memory that must stay movable: they get copies).
 * A memory offline of their blocks fails on them, and the series records
 * each such folio until it is freed. Prints the memory blocks that hold the
 * pages, then waits to be killed.
 *
 *   holdrefs MIB
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BLOCKS	64

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	unsigned long len = mib << 20, off, block_bytes = 0;
	unsigned long blocks[MAX_BLOCKS];
	int nblocks = 0, pm, i, memfd, socks = 0, sv[2] = { -1, -1 }, fresh = 0;
	struct rlimit rl;
	off_t pos = 0;
	char *mem;
	FILE *f;

	f = fopen("/sys/devices/system/memory/block_size_bytes", "r");
	if (!f || fscanf(f, "%lx", &block_bytes) != 1 || !block_bytes) {
		fprintf(stderr, "holdrefs: no memory block size\n");
		return 1;
	}
	fclose(f);
	/* A socket pair holds ~200 KiB: many file descriptors. */
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	memfd = memfd_create("holdrefs", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, len)) {
		perror("holdrefs: memfd");
		return 1;
	}
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (mem == MAP_FAILED) {
		perror("holdrefs: mmap");
		return 1;
	}
	for (off = 0; off < len; off += 4096)
		mem[off] = (char)off | 1;
	while ((unsigned long)pos < len) {
		ssize_t n = sv[0] < 0 ? -1 : sendfile(sv[0], memfd, &pos, len - pos);

		if (n > 0) {
			fresh = 0;
			continue;
		}
		if (sv[0] >= 0 && (errno != EAGAIN || fresh)) {
			fprintf(stderr, "holdrefs: sendfile: %s\n", strerror(errno));
			return 1;
		}
		/* This pair's buffer is full: the next one. */
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) {
			fprintf(stderr, "holdrefs: socketpair (%d so far): %s\n", socks,
				strerror(errno));
			return 1;
		}
		fcntl(sv[0], F_SETFL, O_NONBLOCK);
		socks++;
		fresh = 1;
	}
	pm = open("/proc/self/pagemap", O_RDONLY);
	for (off = 0; pm >= 0 && off < len; off += 4096) {
		uint64_t e;
		unsigned long b;

		if (pread(pm, &e, sizeof(e), ((unsigned long)mem + off) / 4096 * 8) != sizeof(e) ||
		    !(e & (1ULL << 63)) || !(e & ((1ULL << 55) - 1)))
			continue;
		b = (e & ((1ULL << 55) - 1)) * 4096 / block_bytes;
		for (i = 0; i < nblocks && blocks[i] != b; i++)
			;
		if (i == nblocks && nblocks < MAX_BLOCKS)
			blocks[nblocks++] = b;
	}
	printf("holding %lu MiB in %d sockets, pid %d; blocks:", mib, socks, getpid());
	for (i = 0; i < nblocks; i++)
		printf(" %lu", blocks[i]);
	printf("\n");
	fflush(stdout);
	pause();
	return 0;
}
