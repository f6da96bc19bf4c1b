// SPDX-License-Identifier: GPL-2.0
/*
 * Successful migration between NUMA nodes (make bench, guest.mode=benchn):
 * N MiB of anonymous order-0 pages faulted on node 0, then moved to node 1
 * and back with migrate_pages(2), and page by page with move_pages(2).
 * Prints "BENCH numa_migrate_pages_<N>m<suffix>_ms T ms" and the same for
 * move_pages, each the median of 5 moves; a "# " line and exit 0 on a
 * machine with one node. Every page is checked on its node after each move,
 * and its contents at the end.
 *
 * numa_move [MiB] [suffix]
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MPOL_DEFAULT	0
#define MPOL_BIND	2
#define MPOL_MF_MOVE	(1 << 1)
#define ROUNDS		5

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* How many of @nr pages are on @node (move_pages(2) without nodes: query) */
static long on_node(void **pages, int *status, long nr, int node)
{
	long i, n = 0;

	if (syscall(SYS_move_pages, 0, nr, pages, NULL, status, 0))
		return -1;
	for (i = 0; i < nr; i++)
		n += status[i] == node;
	return n;
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 128, len = mib << 20, i;
	const char *suffix = argc > 2 ? argv[2] : "";
	long nr = len / 4096, j, n;
	long long tm[ROUNDS], tp[ROUNDS], t0;
	unsigned long node0 = 1, node1 = 2;
	int *nodes, *status, r, to;
	void **pages;
	char *p;

	if (access("/sys/devices/system/node/node1", F_OK)) {
		printf("# numa_move: one NUMA node, nothing to measure\n");
		return 0;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pages = calloc(nr, sizeof(*pages));
	nodes = calloc(nr, sizeof(*nodes));
	status = calloc(nr, sizeof(*status));
	if (p == MAP_FAILED || !pages || !nodes || !status) {
		perror("numa_move: memory");
		return 1;
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	if (syscall(SYS_set_mempolicy, MPOL_BIND, &node0, 8 * sizeof(node0))) {
		perror("numa_move: set_mempolicy");
		return 1;
	}
	for (i = 0; i < len; i++)
		p[i] = (char)(i * 7 + i / 4096);
	syscall(SYS_set_mempolicy, MPOL_DEFAULT, NULL, 0);
	for (j = 0; j < nr; j++)
		pages[j] = p + j * 4096;
	n = on_node(pages, status, nr, 0);
	if (n != nr) {
		printf("# numa_move: %ld of %ld pages on node 0 after the fault\n", n, nr);
		return 1;
	}

	/* migrate_pages(2): all of the process's pages on one node to the other */
	for (r = 0; r < ROUNDS * 2; r++) {
		to = r % 2 ? 0 : 1;
		t0 = now_us();
		n = syscall(SYS_migrate_pages, 0, 8 * sizeof(node0),
			    to ? &node0 : &node1, to ? &node1 : &node0);
		t0 = now_us() - t0;
		if (n) {
			printf("# numa_move: migrate_pages to node %d: %ld not moved\n", to, n);
			return 1;
		}
		n = on_node(pages, status, nr, to);
		if (n != nr) {
			printf("# numa_move: %ld of %ld pages on node %d\n", n, nr, to);
			return 1;
		}
		if (r % 2 == 0)
			tm[r / 2] = t0;
	}
	/* move_pages(2): each page named, to node 1 and back */
	for (r = 0; r < ROUNDS * 2; r++) {
		to = r % 2 ? 0 : 1;
		for (j = 0; j < nr; j++)
			nodes[j] = to;
		t0 = now_us();
		n = syscall(SYS_move_pages, 0, nr, pages, nodes, status, MPOL_MF_MOVE);
		t0 = now_us() - t0;
		for (j = 0; !n && j < nr; j++)
			n = status[j] != to;
		if (n) {
			printf("# numa_move: move_pages to node %d failed\n", to);
			return 1;
		}
		if (r % 2 == 0)
			tp[r / 2] = t0;
	}
	for (i = 0; i < len; i++)
		if (p[i] != (char)(i * 7 + i / 4096)) {
			printf("# numa_move: byte %zu changed\n", i);
			return 1;
		}
	qsort(tm, ROUNDS, sizeof(tm[0]), cmp);
	qsort(tp, ROUNDS, sizeof(tp[0]), cmp);
	printf("BENCH numa_migrate_pages_%zum%s_ms %.1f ms\n", mib, suffix, tm[ROUNDS / 2] / 1000.0);
	printf("BENCH numa_move_pages_%zum%s_ms %.1f ms\n", mib, suffix, tp[ROUNDS / 2] / 1000.0);
	return 0;
}
