// SPDX-License-Identifier: GPL-2.0
/*
 * The state a real machine is in, for make bench: N MiB of anonymous pages
 * held by pipes (vmsplice takes a reference on each page, as a process that
 * splices its memory into a pipe nobody reads does). A memory offline of
 * their blocks fails on them, and the series records each such folio until
 * it is freed. Prints the memory blocks that hold the pages, then waits to
 * be killed.
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
#include <sys/uio.h>
#include <unistd.h>

#define PIPE_BYTES	(1UL << 20)	/* F_SETPIPE_SZ: 256 buffers */
#define MAX_BLOCKS	64

int main(int argc, char **argv)
{
	unsigned long mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 16;
	unsigned long len = mib << 20, off, block_bytes = 0;
	unsigned long blocks[MAX_BLOCKS];
	int nblocks = 0, pm, i;
	char *mem;
	FILE *f;

	f = fopen("/sys/devices/system/memory/block_size_bytes", "r");
	if (!f || fscanf(f, "%lx", &block_bytes) != 1 || !block_bytes) {
		fprintf(stderr, "holdrefs: no memory block size\n");
		return 1;
	}
	fclose(f);
	mem = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("holdrefs: mmap");
		return 1;
	}
	madvise(mem, len, MADV_NOHUGEPAGE);
	for (off = 0; off < len; off += 4096)
		mem[off] = (char)off | 1;
	for (off = 0; off < len; off += PIPE_BYTES) {
		unsigned long chunk = len - off < PIPE_BYTES ? len - off : PIPE_BYTES;
		struct iovec iov = { mem + off, chunk };
		int p[2];

		if (pipe(p) || fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES) < 0) {
			fprintf(stderr, "holdrefs: pipe: %s\n", strerror(errno));
			return 1;
		}
		while (iov.iov_len) {
			ssize_t n = vmsplice(p[1], &iov, 1, 0);

			if (n <= 0) {
				fprintf(stderr, "holdrefs: vmsplice: %s\n", strerror(errno));
				return 1;
			}
			iov.iov_base = (char *)iov.iov_base + n;
			iov.iov_len -= n;
		}
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
	printf("holding %lu MiB in pipes, pid %d; blocks:", mib, getpid());
	for (i = 0; i < nblocks; i++)
		printf(" %lu", blocks[i]);
	printf("\n");
	fflush(stdout);
	pause();
	return 0;
}
